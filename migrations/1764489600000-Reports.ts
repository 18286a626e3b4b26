import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * What the reports read by. The overdue count and the list of open requests read
 * status, deadline, merged_into, village, owner, category and receipt of every request still open —
 * tens of thousands at a million requests; with them all in one index neither database touches the
 * table (MariaDB went from ~1 s to a few ms per query on a cold buffer pool).
 */
export const OPEN_COVER = new TableIndex({
  name: 'ix_request_open_cover',
  columnNames: ['status', 'deadline', 'merged_into', 'village_id', 'owner_id', 'category', 'received_at'],
});

export class Reports1764489600000 implements MigrationInterface {
  name = 'Reports1764489600000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.createIndex('request', OPEN_COVER);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('request', 'ix_request_open_cover');
  }
}
