import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col, createTable, index } from './helpers';

/**
 * Safety (docs/interface.md#security-and-retention): the deadline the rules set, kept for the figures
 * when 时限 moves a request's deadline, and the 时限 changes that wait for a leader's approval; the
 * DingTalk HTTP-mode signatures already used (a captured header pair cannot carry another delivery).
 */
export class Safety1765094400000 implements MigrationInterface {
  name = 'Safety1765094400000';

  async up(qr: QueryRunner): Promise<void> {
    await qr.addColumn('request', new TableColumn(col.ms('original_deadline')));
    await createTable(qr, 'deadline_change', [
      col.id(),
      col.int('request_id'),
      col.str('proposed_by', 64),
      col.ms('deadline', false),
      col.str('status', 12),
      col.str('decided_by', 64, true),
      col.ms('decided_at'),
      col.ms('created_at', false),
    ], [index('deadline_change', ['request_id', 'status'])]);
    await createTable(qr, 'callback_signature', [
      col.id(),
      col.str('sig', 64),
      col.str('owner', 64),
      col.ms('expires_at', false),
    ], [index('callback_signature', ['sig'], true), index('callback_signature', ['expires_at'])]);
  }

  async down(qr: QueryRunner): Promise<void> {
    await qr.dropTable('callback_signature', true);
    await qr.dropTable('deadline_change', true);
    await qr.dropColumn('request', 'original_deadline');
  }
}
