import type { ReceivedItem } from '../../domain/year-figures';
import type { Db } from '../db';
import type { Period } from './metrics';

type Raw = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v));

/** The requests received in a period, with what 接待人数 and the 代办/诉求/纠纷 split need (src/domain/year-figures.ts). */
export async function receivedItems(db: Db, p: Period): Promise<ReceivedItem[]> {
  const rows = await db.query<Raw>(
    `SELECT id, village_id, category, text, status, reporter_villager_id, reporter_name, reporter_phone FROM request
     WHERE received_at >= ? AND received_at < ?`,
    [p.from, p.to],
  );
  return rows.map((r) => ({
    id: Number(r.id), villageId: str(r.village_id), category: num(r.category), text: str(r.text) ?? '', status: str(r.status) ?? '',
    reporterVillagerId: num(r.reporter_villager_id), reporterName: str(r.reporter_name), reporterPhone: str(r.reporter_phone),
  }));
}
