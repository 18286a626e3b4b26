import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { boolColumn, msColumn } from '../columns';

/** One run of a scheduled job; the unique (job, slot) is the lease that makes a slot run once. */
@Entity('job_run')
export class JobRunRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 40 }) job!: string;
  @Column(msColumn('slot', false)) slot!: number;
  /** running | done | skipped | failed */
  @Column({ type: 'varchar', length: 12 }) status!: string;
  @Column(boolColumn('late', false)) late!: boolean;
  @Column(boolColumn('manual', false)) manual!: boolean;
  @Column(msColumn('started_at', false)) startedAt!: number;
  @Column(msColumn('finished_at')) finishedAt!: number | null;
  @Column({ type: 'text', nullable: true }) summary!: string | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
}

/** A reminder stage already sent about something (each stage once, never a flood). */
@Entity('reminder')
export class ReminderRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 40 }) subject!: string;
  @Column({ type: 'varchar', length: 40 }) stage!: string;
  @Column(msColumn('sent_at', false)) sentAt!: number;
}

/** 督办单: a leader's supervision order from the joint meeting — a person, a deadline, a note. */
@Entity('supervision')
export class SupervisionRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'request_id', type: 'int', nullable: true }) requestId!: number | null;
  @Column({ name: 'person_id', type: 'varchar', length: 64 }) personId!: string;
  @Column({ name: 'issued_by', type: 'varchar', length: 64 }) issuedBy!: string;
  @Column({ type: 'text' }) note!: string;
  @Column(msColumn('deadline', false)) deadline!: number;
  /** open | done */
  @Column({ type: 'varchar', length: 12 }) status!: string;
  @Column({ type: 'text', nullable: true }) result!: string | null;
  @Column(msColumn('created_at', false)) createdAt!: number;
  @Column(msColumn('done_at')) doneAt!: number | null;
}
