import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * What the figures (`periodRows`) and the dashboard's trend (`weeklyCounts`) read, in indexes that
 * hold every column those queries use, so that neither database visits the table: at 1,000,000
 * requests a month or twelve weeks are 40,000–120,000 rows, and each visit is a second lookup
 * (measured in test/bench/PAGES-REPORTS.md). The narrower `received_at`, `resolved_at` and
 * `(type, at)` indexes stay: other queries read by them.
 *
 * - the cohort of a period (受理, 响应, 办结): by `received_at`;
 * - the standing 办结 of a period (按时办结): by `resolved_at`;
 * - the period's 评价, 否定报备 and 申诉 events: by `(type, at)` with the request and whether the
 *   answer was 满意. SQLite keeps `data` itself in a partial index (only those four types); MySQL
 *   cannot index a TEXT column whole, so there the test the figures make on `data` is a virtual
 *   column (computed from `data`, never written) and the index holds it. TypeORM keeps a generated
 *   column's expression in its own `typeorm_metadata` table, which it reads whenever a later
 *   migration loads `request_event`: the table is created here (as TypeORM itself would) and the
 *   column recorded there as TypeORM's own `addColumn` records one.
 */
export const FIGURE_EVENT_TYPES = ['rated', 'refusal_filed', 'refusal_approved', 'appealed'] as const;
/** The test on `data` the figures count 满意 by (src/db/repos/metrics.ts and trend.ts). */
export const SATISFIED_SQL = `data LIKE '%"value":"satisfied"%'`;

export const RECEIVED_COVER = new TableIndex({
  name: 'ix_request_received_cover',
  columnNames: ['received_at', 'village_id', 'owner_id', 'category', 'status', 'accepted_at', 'resolved_at'],
});
export const RESOLVED_COVER = new TableIndex({
  name: 'ix_request_resolved_cover',
  columnNames: ['resolved_at', 'village_id', 'owner_id', 'category', 'status', 'deadline', 'original_deadline'],
});
export const EVENT_COVER = 'ix_request_event_figures';

export class DashboardIndexes1765267200000 implements MigrationInterface {
  name = 'DashboardIndexes1765267200000';

  async up(qr: QueryRunner): Promise<void> {
    const mysql = qr.connection.options.type === 'mysql' || qr.connection.options.type === 'mariadb';
    await qr.createIndex('request', RECEIVED_COVER);
    await qr.createIndex('request', RESOLVED_COVER);
    if (mysql) {
      const v = (name: string, nullable = true) => ({ name, type: 'varchar', length: '255', isNullable: nullable });
      await qr.createTable(
        new Table({ name: 'typeorm_metadata', columns: [v('type', false), v('database'), v('schema'), v('table'), v('name'), { name: 'value', type: 'text', isNullable: true }] }),
        true,
      );
      // Neither NULL nor NOT NULL: MariaDB refuses both on a generated column (TypeORM, told "mysql", writes one).
      const expr = `CASE WHEN ${SATISFIED_SQL} THEN 1 ELSE 0 END`;
      await qr.query(`ALTER TABLE \`request_event\` ADD \`value_satisfied\` tinyint AS (${expr}) VIRTUAL`);
      await qr.query(
        "INSERT INTO `typeorm_metadata` (`database`, `schema`, `table`, `type`, `name`, `value`) VALUES (NULL, DATABASE(), 'request_event', 'GENERATED_COLUMN', 'value_satisfied', ?)",
        [expr],
      );
      await qr.createIndex('request_event', new TableIndex({ name: EVENT_COVER, columnNames: ['type', 'at', 'request_id', 'value_satisfied'] }));
    } else {
      await qr.createIndex(
        'request_event',
        new TableIndex({ name: EVENT_COVER, columnNames: ['type', 'at', 'request_id', 'data'], where: `type IN (${FIGURE_EVENT_TYPES.map((t) => `'${t}'`).join(', ')})` }),
      );
    }
  }

  async down(qr: QueryRunner): Promise<void> {
    const mysql = qr.connection.options.type === 'mysql' || qr.connection.options.type === 'mariadb';
    await qr.dropIndex('request_event', EVENT_COVER);
    if (mysql) {
      await qr.query('ALTER TABLE `request_event` DROP COLUMN `value_satisfied`');
      await qr.query("DELETE FROM `typeorm_metadata` WHERE `type` = 'GENERATED_COLUMN' AND `table` = 'request_event' AND `name` = 'value_satisfied'");
    }
    await qr.dropIndex('request', 'ix_request_resolved_cover');
    await qr.dropIndex('request', 'ix_request_received_cover');
  }
}
