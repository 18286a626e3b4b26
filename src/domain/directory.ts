import type { Role } from './org';
import type { Address, PlatformName } from '../platform/types';
import { weekdayKey } from './time';

export interface Person {
  id: string;
  name: string;
  roles: Role[];
  title: string | null;
  phone: string | null;
  wecomId: string | null;
  dingtalkId: string | null;
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
  private byWecom = new Map<string, string>();
  private byDingtalk = new Map<string, string>();
  private villagerIds = new Map<PlatformName, Set<string>>();
  townshipName = '';

  constructor(private readonly platforms: PlatformName[]) {}

  load(people: Person[], villages: Village[], townshipName?: string): void {
    this.people = new Map(people.map((p) => [p.id, { ...p }]));
    this.villages = new Map(villages.map((v) => [v.id, { ...v }]));
    this.byWecom = new Map(people.filter((p) => p.wecomId && p.active).map((p) => [p.wecomId!, p.id]));
    this.byDingtalk = new Map(people.filter((p) => p.dingtalkId && p.active).map((p) => [p.dingtalkId!, p.id]));
    if (townshipName) this.townshipName = townshipName;
  }

  /** Platform ids of listed villagers (WeCom members who are villagers, DingTalk staff ids). */
  setVillagerIds(platform: PlatformName, ids: Iterable<string>): void {
    this.villagerIds.set(platform, new Set(ids));
  }

  /** Whether a platform user id is someone we know: an active person or a listed villager. */
  knows(platform: PlatformName, userId: string): boolean {
    return Boolean(this.personByPlatformId(platform, userId)) || Boolean(this.villagerIds.get(platform)?.has(userId));
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

  /** An active person by their id on a platform (the sandbox uses person ids as they are). */
  personByPlatformId(platform: PlatformName, userId: string): Person | undefined {
    const id = platform === 'wecom' ? this.byWecom.get(userId) : platform === 'dingtalk' ? this.byDingtalk.get(userId) : userId;
    const p = this.person(id);
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

  /** Where to reach a person: the platform they last used when they are on several. */
  addressOf(p: Person): Address | null {
    const options: Address[] = [];
    for (const platform of this.platforms) {
      if (platform === 'sandbox') options.push({ platform, channel: 'sandbox', userId: p.id });
      if (platform === 'wecom' && p.wecomId) options.push({ platform, channel: 'app', userId: p.wecomId });
      if (platform === 'dingtalk' && p.dingtalkId) options.push({ platform, channel: 'app', userId: p.dingtalkId });
    }
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
