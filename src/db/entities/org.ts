import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { boolColumn, jsonColumn, msColumn } from '../columns';
import type { Role } from '../../domain/org';

/** A cadre, leader, office or centre from the org file. Never deleted: removed people are deactivated. */
@Entity('person')
export class PersonRow {
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ type: 'varchar', length: 64 }) name!: string;
  @Column(jsonColumn('roles')) roles!: Role[];
  @Column({ type: 'varchar', length: 64, nullable: true }) title!: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) phone!: string | null;
  @Column({ name: 'last_platform', type: 'varchar', length: 16, nullable: true }) lastPlatform!: string | null;
  @Column(boolColumn('active', true)) active!: boolean;
  @Column(msColumn('updated_at', false)) updatedAt!: number;
  /** 结对帮扶: vulnerable households this cadre is paired with (visited ≥ 1 a month). */
  @Column(jsonColumn('pairs', true)) pairs!: string[] | null;
  /** Place in the township hierarchy (domain/positions.ts); null: read from title and roles. */
  @Column({ type: 'varchar', length: 32, nullable: true }) position!: string | null;
}

@Entity('village')
export class VillageRow {
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ type: 'varchar', length: 64 }) name!: string;
  @Column(jsonColumn('resident_ids')) residentIds!: string[];
  @Column(jsonColumn('cadre_ids')) cadreIds!: string[];
  @Column({ name: 'secretary_id', type: 'varchar', length: 64, nullable: true }) secretaryId!: string | null;
  @Column(jsonColumn('duty')) duty!: Partial<Record<string, string[]>>;
  @Column(boolColumn('active', true)) active!: boolean;
  @Column(msColumn('updated_at', false)) updatedAt!: number;
  /** 村委会主任 */
  @Column({ name: 'director_id', type: 'varchar', length: 64, nullable: true }) directorId!: string | null;
  /** 责任片(组) per cadre id. */
  @Column(jsonColumn('areas', true)) areas!: Record<string, string[]> | null;
}

/**
 * A villager: listed in the org file, or first seen on a platform (e.g. a WeChat user through
 * 微信客服, known only by an external_userid). Their platform ids are in `platform_identity`.
 */
@Entity('villager')
export class VillagerRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 64, nullable: true }) name!: string | null;
  @Column({ name: 'village_id', type: 'varchar', length: 64, nullable: true }) villageId!: string | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) phone!: string | null;
  /** 'org' when listed in the org file, else the platform it first wrote from. */
  @Column({ type: 'varchar', length: 16 }) source!: string;
  /** Set while we wait for an unlisted villager to tell us their village. */
  @Column(boolColumn('asked_village', false)) askedVillage!: boolean;
  @Column(boolColumn('active', true)) active!: boolean;
  @Column(msColumn('created_at', false)) createdAt!: number;
}

/**
 * A user id in a platform realm (WeCom members, 微信客服 customers, DingTalk staff, the sandbox) and
 * whose it is: a person of the directory or a villager. For realms with a reply window, when that
 * user last wrote and how many messages went to them since.
 */
@Entity('platform_identity')
export class PlatformIdentityRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 24 }) realm!: string;
  @Column({ name: 'user_id', type: 'varchar', length: 128 }) userId!: string;
  @Column({ name: 'person_id', type: 'varchar', length: 64, nullable: true }) personId!: string | null;
  @Column({ name: 'villager_id', type: 'int', nullable: true }) villagerId!: number | null;
  @Column(msColumn('last_in_at')) lastInAt!: number | null;
  @Column({ name: 'window_out', type: 'int', default: 0 }) windowOut!: number;
  @Column(msColumn('created_at', false)) createdAt!: number;
}
