import { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable, index } from './helpers';

/** The foundation: org directory, requests and their timeline, inbound deliveries, outbox, cards. */
export class Init1764144000000 implements MigrationInterface {
  name = 'Init1764144000000';

  async up(qr: QueryRunner): Promise<void> {
    await createTable(qr, 'person', [
      col.key('id'),
      col.str('name', 64),
      col.text('roles'),
      col.str('title', 64, true),
      col.str('phone', 32, true),
      col.str('wecom_id', 128, true),
      col.str('dingtalk_id', 128, true),
      col.str('last_platform', 16, true),
      col.bool('active', true),
      col.ms('updated_at', false),
    ], [index('person', ['wecom_id'], true), index('person', ['dingtalk_id'], true)]);

    await createTable(qr, 'village', [
      col.key('id'),
      col.str('name', 64),
      col.text('resident_ids'),
      col.text('cadre_ids'),
      col.str('secretary_id', 64, true),
      col.text('duty'),
      col.bool('active', true),
      col.ms('updated_at', false),
    ]);

    await createTable(qr, 'villager', [
      col.id(),
      col.str('name', 64, true),
      col.str('village_id', 64, true),
      col.str('phone', 32, true),
      col.str('wecom_id', 128, true),
      col.str('kf_external_id', 128, true),
      col.str('dingtalk_id', 128, true),
      col.str('sandbox_id', 128, true),
      col.str('source', 16),
      col.bool('asked_village', false),
      col.bool('active', true),
      col.ms('created_at', false),
    ], [
      index('villager', ['wecom_id'], true),
      index('villager', ['kf_external_id'], true),
      index('villager', ['dingtalk_id'], true),
      index('villager', ['sandbox_id'], true),
    ]);

    await createTable(qr, 'request', [
      col.id(),
      col.str('code', 20),
      col.str('status', 24),
      col.str('village_id', 64, true),
      col.int('category', true),
      col.str('tier', 24),
      col.str('level', 16),
      col.text('text'),
      col.int('reporter_villager_id', true),
      col.str('reporter_name', 64, true),
      col.str('channel', 16),
      col.text('reply_to', true),
      col.str('owner_id', 64, true),
      col.ms('received_at', false),
      col.ms('accepted_at'),
      col.ms('deadline'),
      col.ms('resolved_at'),
      col.ms('closed_at'),
      col.str('satisfaction', 16, true),
      col.ms('last_message_at', false),
      col.int('version', false, 1),
    ], [
      index('request', ['code'], true),
      index('request', ['status', 'deadline']),
      index('request', ['village_id', 'received_at']),
      index('request', ['received_at']),
      index('request', ['owner_id', 'status']),
      index('request', ['reporter_villager_id', 'status']),
    ]);

    await createTable(qr, 'request_handler', [
      col.id(),
      col.int('request_id'),
      col.str('person_id', 64),
      col.str('added_by', 64, true),
      col.ms('added_at', false),
    ], [index('request_handler', ['request_id', 'person_id'], true), index('request_handler', ['person_id'])]);

    await createTable(qr, 'request_event', [
      col.id(),
      col.int('request_id'),
      col.ms('at', false),
      col.str('type', 32),
      col.str('actor', 80),
      col.str('channel', 16, true),
      col.text('data'),
    ], [index('request_event', ['request_id', 'id'])]);

    await createTable(qr, 'attachment', [
      col.id(),
      col.int('request_id'),
      col.str('kind', 16),
      col.str('platform', 16),
      col.str('media_id', 255, true),
      col.text('meta'),
      col.ms('created_at', false),
    ], [index('attachment', ['request_id'])]);

    await createTable(qr, 'inbound_delivery', [
      col.id(),
      col.str('dedupe_key', 191),
      col.str('platform', 16),
      col.str('kind', 24),
      col.text('payload'),
      col.str('status', 12),
      col.int('attempts', false, 0),
      col.text('error', true),
      col.ms('received_at', false),
      col.ms('next_attempt_at', false),
      col.ms('locked_until'),
      col.ms('processed_at'),
    ], [index('inbound_delivery', ['dedupe_key'], true), index('inbound_delivery', ['status', 'next_attempt_at'])]);

    await createTable(qr, 'outbox_message', [
      col.id(),
      col.str('platform', 16),
      col.str('kind', 16),
      col.str('recipient', 191),
      col.str('person_id', 64, true),
      col.int('request_id', true),
      col.text('payload'),
      col.str('status', 12),
      col.int('attempts', false, 0),
      col.ms('next_attempt_at', false),
      col.ms('locked_until'),
      col.text('last_error', true),
      col.text('result', true),
      col.ms('created_at', false),
      col.ms('sent_at'),
    ], [
      index('outbox_message', ['status', 'next_attempt_at']),
      index('outbox_message', ['request_id']),
      index('outbox_message', ['platform', 'recipient', 'status']),
    ]);

    await createTable(qr, 'card', [
      col.id(),
      col.int('request_id'),
      col.str('platform', 16),
      col.str('kind', 24),
      col.str('task_id', 128),
      col.str('response_code', 255, true),
      col.str('state', 12),
      col.text('content'),
      col.ms('created_at', false),
      col.ms('updated_at', false),
    ], [index('card', ['task_id'], true), index('card', ['request_id'])]);

    await createTable(qr, 'card_recipient', [
      col.id(),
      col.int('card_id'),
      col.str('person_id', 64),
      col.str('platform_user_id', 128),
    ], [index('card_recipient', ['card_id', 'person_id'], true)]);

    await createTable(qr, 'kv_state', [col.key('key', 191), col.text('value'), col.ms('updated_at', false)]);
    await createTable(qr, 'day_counter', [col.key('day', 16), col.int('n')]);

    await createTable(qr, 'sandbox_message', [
      col.id(),
      col.str('recipient', 128),
      col.str('direction', 8),
      col.str('kind', 16),
      col.text('payload'),
      col.str('task_id', 128, true),
      col.ms('created_at', false),
      col.ms('updated_at', false),
    ], [index('sandbox_message', ['recipient', 'id']), index('sandbox_message', ['task_id'])]);
  }

  async down(qr: QueryRunner): Promise<void> {
    for (const t of [
      'sandbox_message', 'day_counter', 'kv_state', 'card_recipient', 'card', 'outbox_message',
      'inbound_delivery', 'attachment', 'request_event', 'request_handler', 'request', 'villager',
      'village', 'person',
    ]) {
      await qr.dropTable(t, true);
    }
  }
}
