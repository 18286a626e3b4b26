import { EntityManager } from 'typeorm';
import { OutboxRow } from '../db/entities';
import type { Address, OutboundPayload } from '../platform/types';

export interface NewOutbound {
  to: Address | Address[];
  payload: OutboundPayload;
  personId?: string | null;
  requestId?: number | null;
}

/** Channels whose platform call takes exactly one recipient (微信客服 kf/send_msg: one touser). */
const ONE_RECIPIENT_PER_CALL = new Set(['kf']);

/**
 * The single way messages leave: a row is written in the caller's transaction, and the worker sends
 * it once the transaction has committed. Addresses on the same platform and channel (and `via`)
 * share one row — one platform call, e.g. a WeCom card to `LiSi|LuoXianYun` — except on channels
 * that take one recipient a call, where each address gets its own row.
 */
export async function enqueue(em: EntityManager, msg: NewOutbound, now: number): Promise<OutboxRow[]> {
  const list = Array.isArray(msg.to) ? msg.to : [msg.to];
  const groups = new Map<string, Address[]>();
  for (const a of list) {
    const k = `${a.platform}\u0000${a.channel}\u0000${JSON.stringify(a.via ?? {})}${ONE_RECIPIENT_PER_CALL.has(a.channel) ? `\u0000${a.userId}` : ''}`;
    const g = groups.get(k) ?? [];
    if (!g.some((x) => x.userId === a.userId)) g.push(a);
    groups.set(k, g);
  }
  const rows: OutboxRow[] = [];
  for (const g of groups.values()) {
    const row = em.create(OutboxRow, {
      platform: g[0].platform,
      kind: msg.payload.kind,
      recipient: g.map((a) => a.userId).join('|'),
      personId: msg.personId ?? null,
      requestId: msg.requestId ?? null,
      payload: { ...msg.payload, channel: g[0].channel, via: g[0].via ?? null } as unknown as Record<string, unknown>,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lockedUntil: null,
      lastError: null,
      result: null,
      createdAt: now,
      sentAt: null,
    });
    rows.push(await em.save(row));
  }
  return rows;
}
