import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { msColumn } from '../columns';

/**
 * 时限 asked for by an owner on a tier that fixes the deadline (docs/interface.md#security-and-retention):
 * it waits for a responsible leader's 同意 / 驳回 and only then moves the request's deadline.
 */
@Entity('deadline_change')
export class DeadlineChangeRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'request_id', type: 'int' }) requestId!: number;
  @Column({ name: 'proposed_by', type: 'varchar', length: 64 }) proposedBy!: string;
  /** The deadline asked for. */
  @Column(msColumn('deadline', false)) deadline!: number;
  /** pending → approved | denied | superseded */
  @Column({ type: 'varchar', length: 12 }) status!: string;
  @Column({ name: 'decided_by', type: 'varchar', length: 64, nullable: true }) decidedBy!: string | null;
  @Column(msColumn('decided_at')) decidedAt!: number | null;
  @Column(msColumn('created_at', false)) createdAt!: number;
}

/**
 * A callback signature already used (DingTalk HTTP mode signs only a timestamp, not the body): kept
 * until it could no longer pass the timestamp check, so one captured header pair cannot carry a
 * second, different delivery. `sig` and `owner` are SHA-256 hashes.
 */
@Entity('callback_signature')
export class CallbackSignatureRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 64 }) sig!: string;
  /** The delivery it came with (a robot msgId, a card tap's identity). */
  @Column({ type: 'varchar', length: 64 }) owner!: string;
  @Column(msColumn('expires_at', false)) expiresAt!: number;
}
