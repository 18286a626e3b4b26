import type { InboundCardAction, InboundMessage } from '../platform/types';
import type { Actor } from '../operations/context';
import type { Tx } from '../operations/tx';

/**
 * Who wrote or tapped: a person of the org directory, a known villager, or — where the platform lets
 * strangers in (微信客服, DingTalk, the sandbox) — a new villager we meet for the first time. Where only
 * members may write (a WeCom app), an unknown id is nobody: null.
 */
export async function resolveActor(tx: Tx, ev: InboundMessage | InboundCardAction): Promise<Actor | null> {
  const address = tx.platforms.replyAddress(ev);
  const realm = tx.platforms.realmOf(ev);
  const person = tx.dir.personByPlatformId(realm, ev.senderId);
  if (person) {
    if (person.lastPlatform !== ev.platform) {
      await tx.repos.org.notePlatform(person.id, ev.platform);
      tx.dir.notePlatform(person.id, ev.platform);
    }
    return { kind: 'person', person, address };
  }
  const villager = await tx.identities.villager(realm, ev.senderId);
  if (villager) return { kind: 'villager', villager, address, isNew: false };
  if (ev.type !== 'message' || !tx.platforms.admitsStrangers(realm)) return null;
  const row = await tx.villagers.create({ name: null, villageId: null, phone: null, source: tx.platforms.reach(address).source }, tx.now);
  await tx.identities.addVillager(row.id, realm, ev.senderId, tx.now);
  return { kind: 'villager', villager: row, address, isNew: true };
}
