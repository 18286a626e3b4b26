import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col, createTable, index } from './helpers';

/** The request lifecycle: results, refusals, merges, the 民情日记, awaited replies, reply windows. */
export class Lifecycle1764230400000 implements MigrationInterface {
  name = 'Lifecycle1764230400000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('request', [
      new TableColumn(col.text('result', true)),
      new TableColumn(col.text('refusal', true)),
      new TableColumn(col.int('merged_into', true)),
      new TableColumn(col.str('close_reason', 16, true)),
    ]);
    await qr.createIndex('request', index('request', ['merged_into']));
    await qr.addColumns('villager', [new TableColumn(col.ms('last_in_at')), new TableColumn(col.int('window_out', false, 0))]);

    await createTable(qr, 'diary_entry', [
      col.id(),
      col.str('person_id', 64),
      col.int('request_id', true),
      /** process (办理过程 of a request) | free (a 民情日记 entry of its own) | visit (走访) | notice (一次性告知) */
      col.str('kind', 16),
      col.text('text'),
      col.text('data', true),
      col.ms('at', false),
    ], [index('diary_entry', ['person_id', 'at']), index('diary_entry', ['request_id'])]);

    await createTable(qr, 'pending_input', [
      col.key('actor', 80),
      col.str('kind', 24),
      col.int('request_id', true),
      col.text('data', true),
      col.ms('expires_at', false),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('pending_input', true);
    await qr.dropTable('diary_entry', true);
    await qr.dropColumns('villager', ['last_in_at', 'window_out']);
    await qr.dropIndex('request', 'ix_request_merged_into');
    await qr.dropColumns('request', ['result', 'refusal', 'merged_into', 'close_reason']);
  }
}
