import { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable, index } from './helpers';

/**
 * The pages (docs/interface.md#pages): platform tickets shared by every instance (with the lease
 * that makes one of them fetch), and the villager's signature confirming 办结 (申办人签字).
 * The session secret, when SESSION_SECRET is not set, is one `kv_state` row.
 */
export class Pages1765008000000 implements MigrationInterface {
  name = 'Pages1765008000000';

  async up(qr: QueryRunner): Promise<void> {
    const mysql = qr.connection.options.type === 'mysql' || qr.connection.options.type === 'mariadb';
    await createTable(qr, 'page_ticket', [col.key('key'), col.text('value', true), col.ms('expires_at', false), col.ms('lease_until'), col.str('lease_owner', 64, true), col.ms('updated_at', false)]);
    await createTable(
      qr,
      'request_signature',
      [
        col.id(),
        col.int('request_id'),
        // A PNG of a few tens of KB, base64: more than MySQL's TEXT holds.
        { ...col.text('png'), type: mysql ? 'mediumtext' : 'text' },
        col.str('sha256', 64),
        col.str('signer', 80),
        col.str('taken_by', 80),
        col.ms('at', false),
      ],
      [index('request_signature', ['request_id', 'id'])],
    );
    // 我的待办 finds the cards a person holds (card_recipient had only (card_id, person_id)).
    await qr.createIndex('card_recipient', index('card_recipient', ['person_id']));
    // … and the refusals waiting in a secretary's villages.
    await qr.createIndex('request', index('request', ['village_id', 'status']));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('request', 'ix_request_village_id_status');
    await qr.dropIndex('card_recipient', 'ix_card_recipient_person_id');
    await qr.dropTable('request_signature', true);
    await qr.dropTable('page_ticket', true);
  }
}
