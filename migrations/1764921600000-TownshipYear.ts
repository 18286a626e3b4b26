import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col, createTable, index } from './helpers';

/**
 * The township's whole year, the rules wired in (docs/interface.md#year): a 补录's 来电人电话 and 单位 on
 * the request; the 民情日记 审阅 by the seeds' hierarchy and each cadre's quarterly 自评; the diaries of
 * people who left, archived.
 */
export class TownshipYear1764921600000 implements MigrationInterface {
  name = 'TownshipYear1764921600000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('request', new TableColumn(col.str('reporter_phone', 32, true)));
    await qr.addColumn('request', new TableColumn(col.str('reporter_org', 64, true)));

    await createTable(qr, 'diary_review', [
      col.id(),
      /** review (a reviewer signs off a diary) | self (the keeper's own 自评) */
      col.str('kind', 8),
      /** Whose diary. */
      col.str('person_id', 64),
      /** Who signed it off; null for a 自评. */
      col.str('reviewer_id', 64, true),
      /** The quarter it is about: 2026-Q3. */
      col.str('period', 8),
      col.text('text'),
      col.ms('at', false),
    ], [index('diary_review', ['person_id', 'period'])]);

    await createTable(qr, 'diary_archive', [
      col.id(),
      col.str('person_id', 64),
      /** When the person left (their org import). */
      col.ms('archived_at', false),
      /** Entries in the diary then. */
      col.int('entries', false, 0),
      col.ms('first_at'),
      col.ms('last_at'),
    ], [index('diary_archive', ['person_id'])]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('diary_archive', true);
    await qr.dropTable('diary_review', true);
    await qr.dropColumn('request', 'reporter_org');
    await qr.dropColumn('request', 'reporter_phone');
  }
}
