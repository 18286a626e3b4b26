import crypto from 'node:crypto';
import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col, createTable, index } from './helpers';

/** Columns whose content has no bound worth trusting (payloads with base64 charts, card contents, texts that grow). */
const LONG: [table: string, column: string, nullable: boolean][] = [
  ['outbox_message', 'payload', false],
  ['outbox_message', 'result', true],
  ['outbox_message', 'last_error', true],
  ['inbound_delivery', 'payload', false],
  ['inbound_delivery', 'error', true],
  ['sandbox_message', 'payload', false],
  ['card', 'content', false],
  ['request', 'text', false],
  ['request', 'result', true],
  ['request_event', 'data', false],
  ['job_run', 'summary', true],
  ['job_run', 'error', true],
  ['kv_state', 'value', false],
];

/**
 * Several instances on one MySQL/MariaDB (docs/interface.md#instances), and the limits SQLite hides:
 * - payload-like columns become LONGTEXT on MySQL (TEXT stops at 64 KB; a digest chart is ~100 KB);
 * - `outbox_message.recipient` (ids joined by `|`) is no longer cut at 191 characters: it becomes
 *   LONGTEXT, and `recipient_key` (sha256 hex of it) carries the per-recipient order and its index;
 * - `send_pace` / `send_pace_lock`: per-member pacing counted in the database, for all instances;
 * - `inbound_delivery.sender_key` and `sender_lease`: one sender's deliveries are worked on one at a
 *   time, in arrival order, across instances.
 * SQLite does not enforce lengths or TEXT sizes, so there only the new columns, tables and indices.
 */
export class Scale1765180800000 implements MigrationInterface {
  name = 'Scale1765180800000';

  async up(qr: QueryRunner): Promise<void> {
    const mysql = qr.connection.options.type === 'mysql' || qr.connection.options.type === 'mariadb';
    await qr.dropIndex('outbox_message', 'ix_outbox_message_platform_recipient_status');
    if (mysql) {
      for (const [table, column, nullable] of LONG) {
        await qr.query(`ALTER TABLE \`${table}\` MODIFY \`${column}\` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ${nullable ? 'NULL' : 'NOT NULL'}`);
      }
      await qr.query('ALTER TABLE `outbox_message` MODIFY `recipient` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL');
    }
    await qr.addColumn('outbox_message', new TableColumn({ ...col.str('recipient_key', 64), default: "''" }));
    // Backfill: the key of every existing row, computed here so both dialects get the same hex.
    const rows = (await qr.query('SELECT id, recipient FROM outbox_message')) as { id: number; recipient: string }[];
    for (const r of rows) await qr.query('UPDATE outbox_message SET recipient_key = ? WHERE id = ?', [recipientKey(r.recipient), r.id]);
    await qr.createIndex('outbox_message', index('outbox_message', ['platform', 'recipient_key', 'id']));

    await qr.addColumn('inbound_delivery', new TableColumn(col.str('sender_key', 64, true)));
    await qr.createIndex('inbound_delivery', index('inbound_delivery', ['sender_key', 'id']));
    await createTable(qr, 'sender_lease', [col.key('sender_key', 64), col.str('owner', 64), col.ms('locked_until', false)]);

    await createTable(qr, 'send_pace', [col.id(), col.str('platform', 16), col.str('recipient_key', 64), col.ms('sent_at', false)], [
      index('send_pace', ['platform', 'recipient_key', 'sent_at']),
      index('send_pace', ['sent_at']),
    ]);
    await createTable(qr, 'send_pace_lock', [col.str('platform', 16), col.str('recipient_key', 64), col.ms('touched_at', false)], [
      index('send_pace_lock', ['platform', 'recipient_key'], true),
      index('send_pace_lock', ['touched_at']),
    ]);
  }

  async down(qr: QueryRunner): Promise<void> {
    const mysql = qr.connection.options.type === 'mysql' || qr.connection.options.type === 'mariadb';
    await qr.dropTable('send_pace_lock', true);
    await qr.dropTable('send_pace', true);
    await qr.dropTable('sender_lease', true);
    await qr.dropIndex('inbound_delivery', 'ix_inbound_delivery_sender_key_id');
    await qr.dropColumn('inbound_delivery', 'sender_key');
    await qr.dropIndex('outbox_message', 'ix_outbox_message_platform_recipient_key_id');
    await qr.dropColumn('outbox_message', 'recipient_key');
    if (mysql) {
      await qr.query('ALTER TABLE `outbox_message` MODIFY `recipient` VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NOT NULL');
      for (const [table, column, nullable] of LONG) {
        await qr.query(`ALTER TABLE \`${table}\` MODIFY \`${column}\` TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci ${nullable ? 'NULL' : 'NOT NULL'}`);
      }
    }
    await qr.createIndex('outbox_message', index('outbox_message', ['platform', 'recipient', 'status']));
  }
}

/** The same as src/db/keys.ts `recipientKey` (kept here so the migration never changes with the app). */
function recipientKey(recipient: string): string {
  return crypto.createHash('sha256').update(recipient).digest('hex');
}
