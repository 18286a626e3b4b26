import type { Repos } from '../db/repos';
import type { OutboxRow } from '../db/entities';
import type { Platforms } from '../platform/registry';
import type { Address, OutboundPayload } from '../platform/types';

export interface NewOutbound {
  to: Address | Address[];
  payload: OutboundPayload;
  personId?: string | null;
  requestId?: number | null;
}

/**
 * The single way messages leave: a row is written in the caller's transaction, and the worker sends
 * it once the transaction has committed. Addresses on the same platform and channel (and `via`)
 * share one row — one platform call, e.g. a WeCom card to `LiSi|LuoXianYun` — except where the
 * platform takes one recipient a call. A message to an address with a reply window counts against it.
 */
export async function enqueue(r: Repos, platforms: Platforms, msg: NewOutbound, now: number): Promise<OutboxRow[]> {
  const list = Array.isArray(msg.to) ? msg.to : [msg.to];
  const groups = new Map<string, Address[]>();
  for (const a of list) {
    const k = `${a.platform}\u0000${a.channel}\u0000${JSON.stringify(a.via ?? {})}${platforms.reach(a).batch ? '' : `\u0000${a.userId}`}`;
    const g = groups.get(k) ?? [];
    if (!g.some((x) => x.userId === a.userId)) g.push(a);
    groups.set(k, g);
  }
  const rows: OutboxRow[] = [];
  for (const g of groups.values()) {
    const payload = { ...msg.payload, channel: g[0].channel, via: g[0].via ?? null } as unknown as Record<string, unknown>;
    rows.push(await r.outbox.add({ platform: g[0].platform, kind: msg.payload.kind, recipient: g.map((a) => a.userId).join('|'), personId: msg.personId ?? null, requestId: msg.requestId ?? null, payload }, now));
  }
  for (const a of list) {
    const reach = platforms.reach(a);
    if (reach.window) await r.identities.countOut(reach.realm, a.userId);
  }
  return rows;
}
