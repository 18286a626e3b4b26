import type { Role } from './org';
import type { Address, PlatformName } from '../platform/types';
import { weekdayKey } from './time';

/** How the directory reaches people: the enabled platforms, answered by their adapters. */
export interface AddressBook {
  readonly names: PlatformName[];
  platformOf(realm: string): { name: PlatformName } | undefined;
  address(realm: string, userId: string): Address | null;
}

export interface Person {
  id: string;
  name: string;
  roles: Role[];
  title: string | null;
  phone: string | null;
  /** Their user id in each platform realm (e.g. { wecom: 'LiSi' }). */
  ids: Record<string, string>;
  lastPlatform: string | null;
  active: boolean;
  pairs?: string[] | null;
}

export interface Village {
  id: string;
  name: string;
  residentIds: string[];
  cadreIds: string[];
  secretaryId: string | null;
  duty: Partial<Record<string, string[]>>;
  active: boolean;
}

/**
 * The org directory in memory: who is who, who is on duty, how to reach them. Loaded from the
 * database (which `org import` fills) at start and after every import — see `loadDirectory`.
 */
export class Directory {
  private people = new Map<string, Person>();
  private villages = new Map<string, Village>();
  /** realm → user id → person id, for active people. */
  private byRealm = new Map<string, Map<string, string>>();
  /** realm → user ids of active listed villagers. */
  private villagerIds = new Map<string, Set<string>>();
  townshipName = '';
  /** Changes whenever the org directory in the database changes (see `OrgRepo.version`). */
  version = 0;

  constructor(private readonly book: AddressBook) {}

  load(people: Person[], villages: Village[], townshipName?: string, villagerIds: { realm: string; userId: string }[] = []): void {
    this.people = new Map(people.map((p) => [p.id, { ...p, ids: { ...p.ids } }]));
    this.villages = new Map(villages.map((v) => [v.id, { ...v }]));
    this.byRealm = new Map();
    for (const p of people) {
      if (!p.active) continue;
      for (const [realm, userId] of Object.entries(p.ids)) {
        if (!this.byRealm.has(realm)) this.byRealm.set(realm, new Map());
        this.byRealm.get(realm)!.set(userId, p.id);
      }
    }
    this.villagerIds = new Map();
    for (const { realm, userId } of villagerIds) {
      if (!this.villagerIds.has(realm)) this.villagerIds.set(realm, new Set());
      this.villagerIds.get(realm)!.add(userId);
    }
    if (townshipName) this.townshipName = townshipName;
  }

  /** Whether a user id of a realm is someone we know: an active person or a listed villager. */
  knows(realm: string, userId: string): boolean {
    return Boolean(this.personByPlatformId(realm, userId)) || Boolean(this.villagerIds.get(realm)?.has(userId));
  }

  person(id: string | null | undefined): Person | undefined {
    return id ? this.people.get(id) : undefined;
  }

  activePeople(): Person[] {
    return [...this.people.values()].filter((p) => p.active);
  }

  village(id: string | null | undefined): Village | undefined {
    return id ? this.villages.get(id) : undefined;
  }

  activeVillages(): Village[] {
    return [...this.villages.values()].filter((v) => v.active);
  }

  villageByName(text: string): Village | undefined {
    const t = text.trim();
    return this.activeVillages().find((v) => t === v.name || t === v.name.replace(/村$/, '') || t.includes(v.name));
  }

  /** An active person by their user id in a realm. */
  personByPlatformId(realm: string, userId: string): Person | undefined {
    const p = this.person(this.byRealm.get(realm)?.get(userId));
    return p?.active ? p : undefined;
  }

  withRole(role: Role): Person[] {
    return this.activePeople().filter((p) => p.roles.includes(role));
  }

  /** Village cadres on the duty roster for the Shanghai weekday of `at`. */
  onDuty(villageId: string, at: Date): Person[] {
    const v = this.village(villageId);
    const ids = v?.duty[weekdayKey(at)] ?? [];
    return ids.map((id) => this.person(id)).filter((p): p is Person => Boolean(p?.active));
  }

  residents(villageId: string): Person[] {
    return (this.village(villageId)?.residentIds ?? []).map((id) => this.person(id)).filter((p): p is Person => Boolean(p?.active));
  }

  cadres(villageId: string): Person[] {
    return (this.village(villageId)?.cadreIds ?? []).map((id) => this.person(id)).filter((p): p is Person => Boolean(p?.active));
  }

  /** Where to reach a person: the platform they last used when they are on several (in platform order otherwise). */
  addressOf(p: Person): Address | null {
    const options: Address[] = [];
    for (const [realm, userId] of Object.entries(p.ids)) {
      const a = this.book.platformOf(realm) ? this.book.address(realm, userId) : null;
      if (a) options.push(a);
    }
    options.sort((a, b) => this.book.names.indexOf(a.platform) - this.book.names.indexOf(b.platform));
    return options.find((a) => a.platform === p.lastPlatform) ?? options[0] ?? null;
  }

  /** "李四（关沟村党支部书记）" */
  label(p: Person): string {
    return p.title ? `${p.name}（${p.title}）` : p.name;
  }

  notePlatform(personId: string, platform: PlatformName): void {
    const p = this.people.get(personId);
    if (p) p.lastPlatform = platform;
  }
}
