import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { msColumn } from '../columns';

/** A 民情日记 审阅 (a reviewer's sign-off with a comment) or a keeper's quarterly 自评 (docs/interface.md#year). */
@Entity('diary_review')
export class DiaryReviewRow {
  @PrimaryGeneratedColumn() id!: number;
  /** review | self */
  @Column({ type: 'varchar', length: 8 }) kind!: string;
  @Column({ name: 'person_id', type: 'varchar', length: 64 }) personId!: string;
  @Column({ name: 'reviewer_id', type: 'varchar', length: 64, nullable: true }) reviewerId!: string | null;
  /** The quarter: 2026-Q3. */
  @Column({ type: 'varchar', length: 8 }) period!: string;
  @Column({ type: 'text' }) text!: string;
  @Column(msColumn('at', false)) at!: number;
}

/** The diary of a person who left, archived when their org import deactivated them (seed 002 §三.(三).4). */
@Entity('diary_archive')
export class DiaryArchiveRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'person_id', type: 'varchar', length: 64 }) personId!: string;
  @Column(msColumn('archived_at', false)) archivedAt!: number;
  @Column({ type: 'int', default: 0 }) entries!: number;
  @Column(msColumn('first_at')) firstAt!: number | null;
  @Column(msColumn('last_at')) lastAt!: number | null;
}
