import { PersonRow, VillagerRow } from '../db/entities';
import type { Address, InboundCardAction, InboundMessage } from '../platform/types';
import { Tx } from './context';
import { Person } from '../domain/directory';

export type Sender =
  | { kind: 'person'; person: Person; address: Address }
  | { kind: 'villager'; villager: VillagerRow; address: Address; isNew: boolean };

/** The address a reply to this event goes to. */
export function replyAddress(ev: InboundMessage | InboundCardAction): Address {
  const via = ev.type === 'message' && ev.replyVia ? Object.fromEntries(Object.entries(ev.replyVia).filter(([, v]) => v !== undefined)) as Record<string, string> : undefined;
  const channel = ev.type === 'message' ? ev.channel : ev.platform === 'sandbox' ? 'sandbox' : 'app';
  return { platform: ev.platform, channel, userId: ev.senderId, ...(via && Object.keys(via).length ? { via } : {}) };
}

/**
 * Who wrote or tapped: a person of the org directory, a known villager, or — on channels open to
 * the public (微信客服, DingTalk, the sandbox) — a new villager we meet for the first time.
 * WeCom app messages come only from members; an unknown member is not a villager and gets null.
 */
export async function resolveSender(tx: Tx, ev: InboundMessage | InboundCardAction): Promise<Sender | null> {
  const address = replyAddress(ev);
  const isKf = ev.type === 'message' && ev.channel === 'kf';
  if (!isKf) {
    const person = tx.dir.personByPlatformId(ev.platform, ev.senderId);
    if (person) {
      if (person.lastPlatform !== ev.platform) {
        await tx.em.getRepository(PersonRow).update({ id: person.id }, { lastPlatform: ev.platform });
        tx.dir.notePlatform(person.id, ev.platform);
      }
      return { kind: 'person', person, address };
    }
  }
  const repo = tx.em.getRepository(VillagerRow);
  let villager: VillagerRow | null = null;
  if (isKf) villager = await repo.findOneBy({ kfExternalId: ev.senderId });
  else if (ev.platform === 'wecom') villager = await repo.findOneBy({ wecomId: ev.senderId });
  else if (ev.platform === 'dingtalk') villager = await repo.findOneBy({ dingtalkId: ev.senderId });
  else {
    const m = /^v(\d+)$/.exec(ev.senderId);
    villager = m ? await repo.findOneBy({ id: Number(m[1]) }) : await repo.findOneBy({ sandboxId: ev.senderId });
  }
  if (villager) return { kind: 'villager', villager, address, isNew: false };
  if (ev.platform === 'wecom' && !isKf) return null;
  if (ev.type !== 'message') return null;

  const row = await repo.save(
    repo.create({
      name: null,
      villageId: null,
      phone: null,
      wecomId: null,
      kfExternalId: isKf ? ev.senderId : null,
      dingtalkId: ev.platform === 'dingtalk' ? ev.senderId : null,
      sandboxId: ev.platform === 'sandbox' ? ev.senderId : null,
      source: isKf ? 'kf' : ev.platform,
      askedVillage: false,
      active: true,
      createdAt: tx.now,
    }),
  );
  return { kind: 'villager', villager: row, address, isNew: true };
}

/** The sandbox id of a villager row (what the sandbox page sends as). */
export function sandboxIdOf(v: VillagerRow): string {
  return v.sandboxId ?? `v${v.id}`;
}
