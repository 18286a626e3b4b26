import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col, createTable, index } from './helpers';

/** The township's rhythm: job leases, reminder stages, 督办单, and the indexes the digests read by. */
export class Rhythm1764316800000 implements MigrationInterface {
  name = 'Rhythm1764316800000';

  async up(qr: QueryRunner): Promise<void> {
    await createTable(qr, 'job_run', [
      col.id(),
      col.str('job', 40),
      /** The scheduled minute this run is for (epoch ms); manual runs use their own start time. */
      col.ms('slot', false),
      col.str('status', 12),
      col.bool('late', false),
      col.bool('manual', false),
      col.ms('started_at', false),
      col.ms('finished_at'),
      col.text('summary', true),
      col.text('error', true),
    ], [index('job_run', ['job', 'slot'], true), index('job_run', ['job', 'started_at'])]);

    await createTable(qr, 'reminder', [
      col.id(),
      /** request:<id> or supervision:<id> */
      col.str('subject', 40),
      col.str('stage', 40),
      col.ms('sent_at', false),
    ], [index('reminder', ['subject', 'stage'], true)]);

    await createTable(qr, 'supervision', [
      col.id(),
      col.int('request_id', true),
      col.str('person_id', 64),
      col.str('issued_by', 64),
      col.text('note'),
      col.ms('deadline', false),
      col.str('status', 12),
      col.text('result', true),
      col.ms('created_at', false),
      col.ms('done_at'),
    ], [index('supervision', ['status', 'deadline']), index('supervision', ['person_id'])]);

    /** The vulnerable households a cadre is paired with (结对帮扶), by household name. */
    await qr.addColumn('person', new TableColumn(col.text('pairs', true)));
    await qr.createIndex('request_event', index('request_event', ['type', 'at']));
    await qr.createIndex('request', index('request', ['resolved_at']));
    await qr.createIndex('request', index('request', ['closed_at']));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('request', 'ix_request_closed_at');
    await qr.dropIndex('request', 'ix_request_resolved_at');
    await qr.dropIndex('request_event', 'ix_request_event_type_at');
    await qr.dropColumn('person', 'pairs');
    await qr.dropTable('supervision', true);
    await qr.dropTable('reminder', true);
    await qr.dropTable('job_run', true);
  }
}
