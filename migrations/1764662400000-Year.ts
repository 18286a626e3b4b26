import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col, createTable, index } from './helpers';

/**
 * The township's whole year (docs/interface.md#year): a village's director (村委会主任) and the
 * 责任片 of its cadres, a person's position in the township (who reviews whose 民情日记), and the
 * household register (民情档案). Township duty and the 农事村办 catalogue's changes are kept with the
 * township name (kv `org.township.duty`, `org.matters`).
 */
export class Year1764662400000 implements MigrationInterface {
  name = 'Year1764662400000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('village', new TableColumn(col.str('director_id', 64, true)));
    await qr.addColumn('village', new TableColumn(col.text('areas', true)));
    await qr.addColumn('person', new TableColumn(col.str('position', 32, true)));

    await createTable(qr, 'household', [
      col.id(),
      col.str('village_id', 64),
      /** 户主 */
      col.str('head', 64),
      /** 组, as a key: "3" for 3组 / 三组 / 第三村民小组; '' when the file gives none (so the unique key holds). */
      col.str('grp', 32),
      col.str('phone', 32, true),
      /** 人口 */
      col.int('members', true),
      col.text('note', true),
      col.bool('active', true),
      col.ms('created_at', false),
      col.ms('updated_at', false),
    ], [index('household', ['village_id', 'head', 'grp'], true)]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('household', true);
    await qr.dropColumn('person', 'position');
    await qr.dropColumn('village', 'areas');
    await qr.dropColumn('village', 'director_id');
  }
}
