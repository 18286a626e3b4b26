import type { Address, InboundCardAction, InboundMessage, PlatformAdapter, PlatformName, Reach } from './types';

/** What an address can take when its platform is not configured (its messages wait; see the outbox). */
const UNKNOWN_REACH: Omit<Reach, 'realm' | 'source'> = { cards: true, batch: true };

/**
 * The enabled platforms as the core asks about them: whose id is whose, how to reach someone, what an
 * address can take. Every answer comes from the adapter; the core never names a platform.
 */
export class Platforms {
  constructor(private readonly adapters: Map<PlatformName, PlatformAdapter>) {}

  get names(): PlatformName[] {
    return [...this.adapters.keys()];
  }

  get(name: string): PlatformAdapter | undefined {
    return this.adapters.get(name as PlatformName);
  }

  all(): PlatformAdapter[] {
    return [...this.adapters.values()];
  }

  /** The realm of an event's sender. */
  realmOf(ev: InboundMessage | InboundCardAction): string {
    return this.adapters.get(ev.platform)?.realmOf(ev) ?? ev.platform;
  }

  /** The platform a realm belongs to (undefined when that platform is off). */
  platformOf(realm: string): PlatformAdapter | undefined {
    return this.all().find((a) => a.realms.some((r) => r.name === realm));
  }

  admitsStrangers(realm: string): boolean {
    return this.platformOf(realm)?.realms.find((r) => r.name === realm)?.admitsStrangers ?? false;
  }

  /** Where to reach a user of `realm` unprompted, or null. */
  address(realm: string, userId: string): Address | null {
    return this.platformOf(realm)?.address(realm, userId) ?? null;
  }

  reach(a: Address): Reach {
    return this.adapters.get(a.platform)?.reach(a) ?? { ...UNKNOWN_REACH, realm: a.platform, source: a.platform };
  }

  /** The address a reply to this event goes to. */
  replyAddress(ev: InboundMessage | InboundCardAction): Address {
    if (ev.type === 'card_action') return this.address(this.realmOf(ev), ev.senderId) ?? { platform: ev.platform, channel: 'app', userId: ev.senderId };
    const via = ev.replyVia ? (Object.fromEntries(Object.entries(ev.replyVia).filter(([, v]) => v !== undefined)) as Record<string, string>) : undefined;
    return { platform: ev.platform, channel: ev.channel, userId: ev.senderId, ...(via && Object.keys(via).length ? { via } : {}) };
  }
}
