import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { jsonColumn, msColumn } from '../columns';

/**
 * Every delivery a platform made to us, stored before we answer it. The unique `dedupe_key`
 * makes a redelivered message or click take effect once, even when the copies arrive together.
 */
@Entity('inbound_delivery')
export class InboundDeliveryRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'dedupe_key', type: 'varchar', length: 191 }) dedupeKey!: string;
  @Column({ type: 'varchar', length: 16 }) platform!: string;
  @Column({ type: 'varchar', length: 24 }) kind!: string;
  @Column(jsonColumn('payload')) payload!: unknown;
  /** Who sent it (src/db/keys.ts `senderKey`): one sender's deliveries are worked on one at a time, in order. */
  @Column({ name: 'sender_key', type: 'varchar', length: 64, nullable: true }) senderKey!: string | null;
  /** received → processing → done | ignored | failed */
  @Column({ type: 'varchar', length: 12 }) status!: string;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @Column(msColumn('received_at', false)) receivedAt!: number;
  /** When a processing attempt may be made (backoff), and how long a claimed row stays claimed. */
  @Column(msColumn('next_attempt_at', false)) nextAttemptAt!: number;
  @Column(msColumn('locked_until')) lockedUntil!: number | null;
  @Column(msColumn('processed_at')) processedAt!: number | null;
}

/** Everything that leaves goes through here: a row first, then a worker sends it. */
@Entity('outbox_message')
export class OutboxRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 16 }) platform!: string;
  /** text | card | card_update | image */
  @Column({ type: 'varchar', length: 16 }) kind!: string;
  /** The platform user id (or chat id) it goes to; several joined by `|` (LONGTEXT on MySQL: no length cuts it). */
  @Column({ type: 'text' }) recipient!: string;
  /** sha256 hex of `recipient` (src/db/keys.ts): the per-recipient order runs on it. Set on every insert. */
  @Column({ name: 'recipient_key', type: 'varchar', length: 64 }) recipientKey!: string;
  @Column({ name: 'person_id', type: 'varchar', length: 64, nullable: true }) personId!: string | null;
  @Column({ name: 'request_id', type: 'int', nullable: true }) requestId!: number | null;
  @Column(jsonColumn('payload')) payload!: Record<string, unknown>;
  /** pending → sending → sent | failed */
  @Column({ type: 'varchar', length: 12 }) status!: string;
  @Column({ type: 'int', default: 0 }) attempts!: number;
  @Column(msColumn('next_attempt_at', false)) nextAttemptAt!: number;
  @Column(msColumn('locked_until')) lockedUntil!: number | null;
  @Column({ name: 'last_error', type: 'text', nullable: true }) lastError!: string | null;
  @Column(jsonColumn('result', true)) result!: Record<string, unknown> | null;
  @Column(msColumn('created_at', false)) createdAt!: number;
  @Column(msColumn('sent_at')) sentAt!: number | null;
}

/** A card we sent about a request: platform task id ↔ request ↔ recipients. */
@Entity('card')
export class CardRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'request_id', type: 'int' }) requestId!: number;
  @Column({ type: 'varchar', length: 16 }) platform!: string;
  /** new_request | owner | … (what the card asks of its recipients) */
  @Column({ type: 'varchar', length: 24 }) kind!: string;
  @Column({ name: 'task_id', type: 'varchar', length: 128 }) taskId!: string;
  /** open while its buttons still mean something; closed once answered. */
  @Column({ type: 'varchar', length: 12 }) state!: string;
  @Column(jsonColumn('content')) content!: unknown;
  @Column(msColumn('created_at', false)) createdAt!: number;
  @Column(msColumn('updated_at', false)) updatedAt!: number;
}

@Entity('card_recipient')
export class CardRecipientRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'card_id', type: 'int' }) cardId!: number;
  @Column({ name: 'person_id', type: 'varchar', length: 64 }) personId!: string;
  @Column({ name: 'platform_user_id', type: 'varchar', length: 128 }) platformUserId!: string;
  @Column({ type: 'varchar', length: 16, default: 'app' }) channel!: string;
}

/** Small durable state: sync cursors and the like. */
@Entity('kv_state')
export class KvRow {
  @PrimaryColumn({ type: 'varchar', length: 191 }) key!: string;
  @Column({ type: 'text' }) value!: string;
  @Column(msColumn('updated_at', false)) updatedAt!: number;
}

/** Per-day counters behind request codes (20261124-007). */
@Entity('day_counter')
export class DayCounterRow {
  @PrimaryColumn({ type: 'varchar', length: 16 }) day!: string;
  @Column({ type: 'int' }) n!: number;
}

/** What the sandbox platform "delivered": the chat history of each sandbox identity. */
@Entity('sandbox_message')
export class SandboxMessageRow {
  @PrimaryGeneratedColumn() id!: number;
  /** The sandbox identity: a person id, or `v<villagerId>`; `from` marks who wrote it. */
  @Column({ type: 'varchar', length: 128 }) recipient!: string;
  @Column({ type: 'varchar', length: 8 }) direction!: string;
  @Column({ type: 'varchar', length: 16 }) kind!: string;
  @Column(jsonColumn('payload')) payload!: unknown;
  @Column({ name: 'task_id', type: 'varchar', length: 128, nullable: true }) taskId!: string | null;
  @Column(msColumn('created_at', false)) createdAt!: number;
  @Column(msColumn('updated_at', false)) updatedAt!: number;
}

/** A member's sends, counted for every instance together (src/outbox/pacer.ts); pruned after the hour. */
@Entity('send_pace')
export class SendPaceRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 16 }) platform!: string;
  @Column({ name: 'recipient_key', type: 'varchar', length: 64 }) recipientKey!: string;
  @Column(msColumn('sent_at', false)) sentAt!: number;
}

/** One row per paced member: the row lock that makes check-and-reserve atomic across instances. */
@Entity('send_pace_lock')
export class SendPaceLockRow {
  @PrimaryColumn({ type: 'varchar', length: 16 }) platform!: string;
  @PrimaryColumn({ name: 'recipient_key', type: 'varchar', length: 64 }) recipientKey!: string;
  @Column(msColumn('touched_at', false)) touchedAt!: number;
}

/** Which delivery of a sender is being worked on, until when (src/db/repos/queue.ts). */
@Entity('sender_lease')
export class SenderLeaseRow {
  @PrimaryColumn({ name: 'sender_key', type: 'varchar', length: 64 }) senderKey!: string;
  @Column({ type: 'varchar', length: 64 }) owner!: string;
  @Column(msColumn('locked_until', false)) lockedUntil!: number;
}
