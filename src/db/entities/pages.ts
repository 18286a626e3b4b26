import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { msColumn } from '../columns';

/**
 * A platform ticket the pages need (WeCom's jsapi_ticket and agent_config ticket), kept for its
 * lifetime and shared by every instance. `lease_until` is the conditional lease that makes one
 * instance at a time fetch a new one (docs/interface.md#pages).
 */
@Entity('page_ticket')
export class PageTicketRow {
  @PrimaryColumn({ type: 'varchar', length: 64 }) key!: string;
  @Column({ type: 'text', nullable: true }) value!: string | null;
  @Column(msColumn('expires_at', false)) expiresAt!: number;
  @Column(msColumn('lease_until')) leaseUntil!: number | null;
  @Column({ name: 'lease_owner', type: 'varchar', length: 64, nullable: true }) leaseOwner!: string | null;
  @Column(msColumn('updated_at', false)) updatedAt!: number;
}

/** 申办人签字: a villager's signature confirming 办结, as a PNG, printed on the 受理卡. */
@Entity('request_signature')
export class RequestSignatureRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'request_id', type: 'int' }) requestId!: number;
  /** The PNG, base64. */
  @Column({ type: 'text' }) png!: string;
  @Column({ type: 'varchar', length: 64 }) sha256!: string;
  /** Who signed: `villager:<id>` (the reporter), or the name written under a walk-in's signature. */
  @Column({ type: 'varchar', length: 80 }) signer!: string;
  /** On whose screen: `villager:<id>` on their own phone, `person:<id>` on a cadre's (the Tuesday desk). */
  @Column({ name: 'taken_by', type: 'varchar', length: 80 }) takenBy!: string;
  @Column(msColumn('at', false)) at!: number;
}
