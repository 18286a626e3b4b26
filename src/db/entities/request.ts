import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { jsonColumn, msColumn } from '../columns';
import type { Address } from '../../platform/types';
import type { Status } from '../../domain/status';

/** A villager's matter on the 销号台账, from receipt to close-out. */
@Entity('request')
export class RequestRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 20 }) code!: string;
  @Column({ type: 'varchar', length: 24 }) status!: Status;
  @Column({ name: 'village_id', type: 'varchar', length: 64, nullable: true }) villageId!: string | null;
  @Column({ type: 'int', nullable: true }) category!: number | null;
  @Column({ type: 'varchar', length: 24 }) tier!: string;
  @Column({ type: 'varchar', length: 16 }) level!: string;
  /** 事由: the villager's words, verbatim. */
  @Column({ type: 'text' }) text!: string;
  @Column({ name: 'reporter_villager_id', type: 'int', nullable: true }) reporterVillagerId!: number | null;
  @Column({ name: 'reporter_name', type: 'varchar', length: 64, nullable: true }) reporterName!: string | null;
  /** 补录: the caller's phone and 单位 (seed 003 §十.1.6, docs/interface.md#year). */
  @Column({ name: 'reporter_phone', type: 'varchar', length: 32, nullable: true }) reporterPhone!: string | null;
  @Column({ name: 'reporter_org', type: 'varchar', length: 64, nullable: true }) reporterOrg!: string | null;
  /** How it came in: wecom, kf, dingtalk, sandbox, visit, phone, letter. */
  @Column({ type: 'varchar', length: 16 }) channel!: string;
  /** Where the reporter is answered: the platform address they wrote from. */
  @Column(jsonColumn('reply_to', true)) replyTo!: Address | null;
  @Column({ name: 'owner_id', type: 'varchar', length: 64, nullable: true }) ownerId!: string | null;
  @Column(msColumn('received_at', false)) receivedAt!: number;
  @Column(msColumn('accepted_at')) acceptedAt!: number | null;
  @Column(msColumn('deadline')) deadline!: number | null;
  /**
   * The deadline the rules set, kept when 时限 moves `deadline` (null: the same as `deadline`). The
   * on-time figure (按时办结率) counts against it: a moved deadline does not make a late request on time.
   */
  @Column(msColumn('original_deadline')) originalDeadline!: number | null;
  @Column(msColumn('resolved_at')) resolvedAt!: number | null;
  @Column(msColumn('closed_at')) closedAt!: number | null;
  @Column({ type: 'varchar', length: 16, nullable: true }) satisfaction!: string | null;
  /** Last time the reporter wrote about it (for appending follow-ups). */
  @Column(msColumn('last_message_at', false)) lastMessageAt!: number;
  @Column({ type: 'int', default: 1 }) version!: number;
  /** 办理结果, as the owner or handler wrote it at 办结. */
  @Column({ type: 'text', nullable: true }) result!: string | null;
  /** 否定报备: { basis, reason, by, at, approver? } */
  @Column(jsonColumn('refusal', true)) refusal!: Refusal | null;
  /** Set when this request was merged into another one about the same problem. */
  @Column({ name: 'merged_into', type: 'int', nullable: true }) mergedInto!: number | null;
  /** Why it was closed: satisfied | unsatisfied | no_answer | rejected | merged */
  @Column({ name: 'close_reason', type: 'varchar', length: 16, nullable: true }) closeReason!: string | null;
}

export interface Refusal {
  basis: string;
  reason: string;
  by: string;
  at: number;
  decidedBy?: string;
  decision?: 'approved' | 'denied';
  comment?: string;
}

/** 承办人: people a request was forwarded to. The owner never changes; handlers are added. */
@Entity('request_handler')
export class RequestHandlerRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'request_id', type: 'int' }) requestId!: number;
  @Column({ name: 'person_id', type: 'varchar', length: 64 }) personId!: string;
  @Column({ name: 'added_by', type: 'varchar', length: 64, nullable: true }) addedBy!: string | null;
  @Column(msColumn('added_at', false)) addedAt!: number;
}

/** The append-only timeline of a request: who did what, when, from which channel. */
@Entity('request_event')
export class RequestEventRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'request_id', type: 'int' }) requestId!: number;
  @Column(msColumn('at', false)) at!: number;
  @Column({ type: 'varchar', length: 32 }) type!: string;
  /** 'villager:<id>', 'person:<id>' or 'system'. */
  @Column({ type: 'varchar', length: 80 }) actor!: string;
  @Column({ type: 'varchar', length: 16, nullable: true }) channel!: string | null;
  @Column(jsonColumn('data')) data!: Record<string, unknown>;
}

/**
 * Pictures, voice, files and locations a villager sent (docs/interface.md#media). A row with a platform
 * media id is also an item of the download queue (src/media/worker.ts): pending → downloading → stored
 * or failed, with `error` saying why in Chinese and `lastError` the technical detail.
 */
@Entity('attachment')
export class AttachmentRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'request_id', type: 'int' }) requestId!: number;
  @Column({ type: 'varchar', length: 16 }) kind!: string;
  @Column({ type: 'varchar', length: 16 }) platform!: string;
  @Column({ name: 'media_id', type: 'varchar', length: 255, nullable: true }) mediaId!: string | null;
  @Column(jsonColumn('meta')) meta!: Record<string, unknown>;
  @Column(msColumn('created_at', false)) createdAt!: number;
  /** pending | downloading | stored | failed */
  @Column({ type: 'varchar', length: 12, default: 'stored' }) status!: string;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @Column(msColumn('next_attempt_at', false)) nextAttemptAt!: number;
  @Column(msColumn('locked_until')) lockedUntil!: number | null;
  /** English, for the log and the operator: the last download failure. */
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
  /** Chinese, for people: why it is not (or not fully) kept. */
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @Column({ name: 'villager_id', type: 'int', nullable: true }) villagerId!: number | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) sha256!: string | null;
  @Column({ type: 'int', nullable: true }) bytes!: number | null;
  /** Sniffed from the bytes, never taken from a header. */
  @Column({ type: 'varchar', length: 100, nullable: true }) mime!: string | null;
  /** The file-name extension of what the bytes are (sniffed). */
  @Column({ type: 'varchar', length: 10, nullable: true }) ext!: string | null;
  /** What the voice says (DingTalk's recognition), or a location's label. */
  @Column({ type: 'text', nullable: true }) text!: string | null;
  /** The copy a browser plays (MP3 of an AMR voice). */
  @Column({ name: 'play_sha256', type: 'varchar', length: 64, nullable: true }) playSha256!: string | null;
  @Column({ name: 'play_mime', type: 'varchar', length: 40, nullable: true }) playMime!: string | null;
  @Column({ name: 'play_bytes', type: 'int', nullable: true }) playBytes!: number | null;
  @Column(msColumn('stored_at')) storedAt!: number | null;
}

/** 民情日记 entries: 办理过程 of a request, free diary entries, household visits, 一次性告知 notices. */
@Entity('diary_entry')
export class DiaryEntryRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'person_id', type: 'varchar', length: 64 }) personId!: string;
  @Column({ name: 'request_id', type: 'int', nullable: true }) requestId!: number | null;
  @Column({ type: 'varchar', length: 16 }) kind!: string;
  @Column({ type: 'text' }) text!: string;
  @Column(jsonColumn('data', true)) data!: Record<string, unknown> | null;
  @Column(msColumn('at', false)) at!: number;
}

/** A reply we are waiting for from someone (e.g. the 办理结果 after tapping 办结). One per actor. */
@Entity('pending_input')
export class PendingInputRow {
  @PrimaryColumn({ type: 'varchar', length: 80 }) actor!: string;
  @Column({ type: 'varchar', length: 24 }) kind!: string;
  @Column({ name: 'request_id', type: 'int', nullable: true }) requestId!: number | null;
  @Column(jsonColumn('data', true)) data!: Record<string, unknown> | null;
  @Column(msColumn('expires_at', false)) expiresAt!: number;
}
