import type { Role } from './org';
import type { Address, PlatformName } from '../platform/types';
import { DEFAULT_MATTERS, Matter, mergeCatalogue, MatterOverride } from './catalogue';
import { shanghaiDay, weekdayKey, weekdayOfDay } from './time';

const WEEKDAY_OF = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** How the directory reaches people: the enabled platforms, answered by their adapters. */
export interface AddressBook {
  readonly names: PlatformName[];
  platformOf(realm: string): { name: PlatformName } | undefined;
  address(realm: string, userId: string): Address | null;
}

/** No platform at all (commands that only read the directory). */
export const NO_PLATFORMS: AddressBook = { names: [], platformOf: () => undefined, address: () => null };

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
  /** Place in the township hierarchy, when the org file gives it (positions.ts). */
  position?: string | null;
}

export interface Village {
  id: string;
  name: string;
  residentIds: string[];
  cadreIds: string[];
  secretaryId: string | null;
  duty: Partial<Record<string, string[]>>;
  active: boolean;
  /** 村委会主任 (with the secretary, the 村主干). */
  directorId?: string | null;
  /** 责任片(组) per cadre id; a cadre not listed covers the whole village. */
  areas?: Record<string, string[]> | null;
}

/** What the org file says beyond people and villages. */
export interface TownshipExtras {
  /** Township duty on non-working days: weekday keys (sat, sun, …) and dates (YYYY-MM-DD). */
  duty?: Partial<Record<string, string[]>>;
  /** The township's changes to the 农事村办 catalogue. */
  matters?: MatterOverride[];
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
  private townshipDuty: Partial<Record<string, string[]>> = {};
  private matters: Matter[] = DEFAULT_MATTERS;

  constructor(private readonly book: AddressBook) {}

  load(people: Person[], villages: Village[], townshipName?: string, villagerIds: { realm: string; userId: string }[] = [], extras?: TownshipExtras): void {
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
    if (extras) {
      this.townshipDuty = { ...(extras.duty ?? {}) };
      this.matters = mergeCatalogue(extras.matters ?? []);
    }
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

  /** People the org file no longer lists (kept, deactivated). */
  inactivePeople(): Person[] {
    return [...this.people.values()].filter((p) => !p.active);
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

  /**
   * The township duty roster for a Shanghai day (`YYYY-MM-DD`, or the day containing an instant):
   * the list under that date if the org file has one, else the list under its weekday. Active
   * people only. Says nothing about whether the day is a working day — the caller asks the calendar.
   */
  townshipDutyOn(day: string | Date): Person[] {
    const d = typeof day === 'string' ? day : shanghaiDay(day);
    const ids = this.townshipDuty[d] ?? this.townshipDuty[WEEKDAY_OF[weekdayOfDay(d)]] ?? [];
    return ids.map((id) => this.person(id)).filter((p): p is Person => Boolean(p?.active));
  }

  /** The township duty as the org file gives it (ids, inactive people included), for checks. */
  townshipDutyRoster(): Partial<Record<string, string[]>> {
    return this.townshipDuty;
  }

  /** The 农事村办 catalogue: the built-in matters with the org file's changes. */
  catalogue(): Matter[] {
    return this.matters;
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
