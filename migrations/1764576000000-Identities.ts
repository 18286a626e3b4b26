import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col, createTable, index } from './helpers';

/**
 * Platform ids move out of `person` and `villager` into one table: a user id in a realm (WeCom
 * members, 微信客服 customers, DingTalk staff, the sandbox) belongs to a person or a villager. The
 * 微信客服 reply window (last message in, messages out since) is kept on the id it is about. Card
 * recipients remember the channel their card went on, and WeCom's card codes move to the WeCom
 * adapter's own state (kv_state).
 */
export class Identities1764576000000 implements MigrationInterface {
  name = 'Identities1764576000000';

  async up(qr: QueryRunner): Promise<void> {
    const mysql = qr.connection.options.type === 'mysql' || qr.connection.options.type === 'mariadb';
    const concat = (...parts: string[]) => (mysql ? `CONCAT(${parts.join(', ')})` : parts.join(' || '));
    await createTable(qr, 'platform_identity', [
      col.id(),
      col.str('realm', 24),
      col.str('user_id', 128),
      col.str('person_id', 64, true),
      col.int('villager_id', true),
      col.ms('last_in_at'),
      col.int('window_out', false, 0),
      col.ms('created_at', false),
    ], [index('platform_identity', ['realm', 'user_id'], true), index('platform_identity', ['person_id']), index('platform_identity', ['villager_id'])]);

    const copy = (realm: string, select: string) =>
      qr.query(`INSERT INTO platform_identity (realm, user_id, person_id, villager_id, last_in_at, window_out, created_at) ${select.replace('$realm', `'${realm}'`)}`);
    await copy('wecom', 'SELECT $realm, wecom_id, id, NULL, NULL, 0, updated_at FROM person WHERE wecom_id IS NOT NULL');
    await copy('dingtalk', 'SELECT $realm, dingtalk_id, id, NULL, NULL, 0, updated_at FROM person WHERE dingtalk_id IS NOT NULL');
    await copy('sandbox', 'SELECT $realm, id, id, NULL, NULL, 0, updated_at FROM person');
    await copy('wecom', 'SELECT $realm, wecom_id, NULL, id, NULL, 0, created_at FROM villager WHERE wecom_id IS NOT NULL');
    await copy('wecom_kf', 'SELECT $realm, kf_external_id, NULL, id, last_in_at, window_out, created_at FROM villager WHERE kf_external_id IS NOT NULL');
    await copy('dingtalk', 'SELECT $realm, dingtalk_id, NULL, id, NULL, 0, created_at FROM villager WHERE dingtalk_id IS NOT NULL');
    await copy('sandbox', `SELECT $realm, COALESCE(sandbox_id, ${concat("'v'", 'CAST(id AS CHAR)')}), NULL, id, NULL, 0, created_at FROM villager`);

    await qr.addColumn('card_recipient', new TableColumn({ ...col.str('channel', 16), default: "'app'" }));
    await qr.query(`UPDATE card_recipient SET channel = 'sandbox' WHERE card_id IN (SELECT id FROM card WHERE platform = 'sandbox')`);
    await qr.query(
      `INSERT INTO kv_state (${mysql ? '`key`' : '"key"'}, value, updated_at)
       SELECT ${concat("'wecom.card.'", 'task_id')}, ${concat(`'{"code":"'`, 'response_code', `'","at":'`, 'CAST(updated_at AS CHAR)', "'}'")}, updated_at
       FROM card WHERE platform = 'wecom' AND response_code IS NOT NULL`,
    );
    await qr.dropColumn('card', 'response_code');

    await qr.dropIndex('person', 'uq_person_wecom_id');
    await qr.dropIndex('person', 'uq_person_dingtalk_id');
    await qr.dropColumns('person', ['wecom_id', 'dingtalk_id']);
    for (const c of ['wecom_id', 'kf_external_id', 'dingtalk_id', 'sandbox_id']) await qr.dropIndex('villager', `uq_villager_${c}`);
    await qr.dropColumns('villager', ['wecom_id', 'kf_external_id', 'dingtalk_id', 'sandbox_id', 'last_in_at', 'window_out']);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.addColumns('person', [new TableColumn(col.str('wecom_id', 128, true)), new TableColumn(col.str('dingtalk_id', 128, true))]);
    await qr.addColumns('villager', ['wecom_id', 'kf_external_id', 'dingtalk_id', 'sandbox_id'].map((c) => new TableColumn(col.str(c, 128, true))));
    await qr.addColumns('villager', [new TableColumn(col.ms('last_in_at')), new TableColumn(col.int('window_out', false, 0))]);
    await qr.addColumn('card', new TableColumn(col.str('response_code', 255, true)));
    await qr.dropColumn('card_recipient', 'channel');
    await qr.dropTable('platform_identity', true);
  }
}
