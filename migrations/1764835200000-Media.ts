import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col, index } from './helpers';

/**
 * What a villager sends is kept (docs/interface.md#media): an attachment is also the item of the
 * download queue (status pending → downloading → stored | failed, attempts, next_attempt_at,
 * locked_until, the last technical error), and once stored it says what it is (sha256, bytes, the MIME
 * type sniffed from the bytes, the MP3 kept beside WeCom's AMR voice) and why not, in Chinese (`error`).
 * `villager_id` counts a villager's files of a day (the flood cap). Likely duplicates
 * (docs/interface.md#duplicates) look up a village's open requests of the last 30 days: an index on
 * (village_id, status, received_at) keeps that to the rows it returns at 1,000,000 requests.
 */
export class Media1764835200000 implements MigrationInterface {
  name = 'Media1764835200000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumns('attachment', [
      new TableColumn({ ...col.str('status', 12), default: "'stored'" }),
      new TableColumn(col.int('attempts', false, 0)),
      new TableColumn({ ...col.ms('next_attempt_at', false), default: '0' }),
      new TableColumn(col.ms('locked_until')),
      new TableColumn(col.text('last_error', true)),
      new TableColumn(col.text('error', true)),
      new TableColumn(col.int('villager_id', true)),
      new TableColumn(col.str('sha256', 64, true)),
      new TableColumn(col.int('bytes', true)),
      new TableColumn(col.str('mime', 100, true)),
      new TableColumn(col.str('ext', 10, true)),
      new TableColumn(col.text('text', true)),
      new TableColumn(col.str('play_sha256', 64, true)),
      new TableColumn(col.str('play_mime', 40, true)),
      new TableColumn(col.int('play_bytes', true)),
      new TableColumn(col.ms('stored_at')),
    ]);
    // Attachments recorded before this migration were never downloaded: their media ids have expired.
    await qr.query(`UPDATE attachment SET status = 'failed', error = '此文件在启用保存功能前收到，未能保存' WHERE media_id IS NOT NULL`);
    await qr.createIndex('attachment', index('attachment', ['status', 'next_attempt_at']));
    await qr.createIndex('attachment', index('attachment', ['villager_id', 'created_at']));
    await qr.createIndex('request', index('request', ['village_id', 'status', 'received_at']));
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropIndex('request', 'ix_request_village_id_status_received_at');
    await qr.dropIndex('attachment', 'ix_attachment_villager_id_created_at');
    await qr.dropIndex('attachment', 'ix_attachment_status_next_attempt_at');
    for (const c of ['stored_at', 'play_bytes', 'play_mime', 'play_sha256', 'text', 'mime', 'ext', 'bytes', 'sha256', 'villager_id', 'error', 'last_error', 'locked_until', 'next_attempt_at', 'attempts', 'status']) {
      await qr.dropColumn('attachment', c);
    }
  }
}
