import type { Clock } from '../clock';
import type { Policy } from '../config';
import type { Db } from '../db/db';
import type { OutboxRow } from '../db/entities';
import type { Repos } from '../db/repos';
import type { RetentionPolicy } from '../domain/retention';
import type { WorkCalendar } from '../domain/calendar';
import type { Directory, Person } from '../domain/directory';
import type { Logger } from '../log';
import { enqueue } from '../outbox/outbox';
import type { Platforms } from '../platform/registry';
import type { Address, OutboundPayload } from '../platform/types';
import type { RequestLinks } from '../web/links';

/** What the operations, jobs and doors need, handed in once at the composition root. */
export interface AppDeps {
  db: Db;
  directory: Directory;
  calendar: WorkCalendar;
  clock: Clock;
  log: Logger;
  publicBaseUrl: string;
  platforms: Platforms;
  /** The request pages' addresses for cards and messages (absent: none are added). */
  links?: RequestLinks;
  /** The local-policy settings (docs/interface.md#environment): response time, warning, 未评价, 申诉. */
  policy: Policy;
  /** How long what is kept only for a while is kept (RETAIN_*_DAYS; default DEFAULT_RETENTION). */
  retention?: RetentionPolicy;
}

/** Who did something, as the timeline records it. */
export type ActorRef = `villager:${number}` | `person:${string}` | 'system';

/**
 * One unit of work inside a database transaction: its repositories (`tx.requests`, `tx.cards`, …)
 * and what it sends. Request changes, timeline events and outbound messages commit together or not
 * at all; the outbox is woken by the commit (`Db.onCommit`).
 */
export class Tx {
  readonly queued: OutboxRow[] = [];
  readonly requests: Repos['requests'];
  readonly handlers: Repos['handlers'];
  readonly events: Repos['events'];
  readonly attachments: Repos['attachments'];
  readonly cards: Repos['cards'];
  readonly outbox: Repos['outbox'];
  readonly villagers: Repos['villagers'];
  readonly identities: Repos['identities'];
  readonly diary: Repos['diary'];
  readonly pending: Repos['pending'];
  readonly supervisions: Repos['supervisions'];
  readonly reminders: Repos['reminders'];
  readonly deliveries: Repos['deliveries'];
  readonly kv: Repos['kv'];
  readonly pages: Repos['pages'];
  readonly households: Repos['households'];
  readonly diaryReviews: Repos['diaryReviews'];
  readonly media: Repos['media'];
  readonly duplicates: Repos['duplicates'];
  readonly deadlineChanges: Repos['deadlineChanges'];

  constructor(
    readonly repos: Repos,
    readonly deps: AppDeps,
    readonly now: number,
    readonly log: Logger,
  ) {
    this.requests = repos.requests;
    this.handlers = repos.handlers;
    this.events = repos.events;
    this.attachments = repos.attachments;
    this.cards = repos.cards;
    this.outbox = repos.outbox;
    this.villagers = repos.villagers;
    this.identities = repos.identities;
    this.diary = repos.diary;
    this.pending = repos.pending;
    this.supervisions = repos.supervisions;
    this.reminders = repos.reminders;
    this.deliveries = repos.deliveries;
    this.kv = repos.kv;
    this.pages = repos.pages;
    this.households = repos.households;
    this.diaryReviews = repos.diaryReviews;
    this.media = repos.media;
    this.duplicates = repos.duplicates;
    this.deadlineChanges = repos.deadlineChanges;
  }

  get dir(): Directory {
    return this.deps.directory;
  }

  get platforms(): Platforms {
    return this.deps.platforms;
  }

  /** Queue a message; it leaves after the transaction commits. */
  async send(to: Address | Address[] | null, payload: OutboundPayload, meta: { personId?: string; requestId?: number } = {}): Promise<void> {
    const list = (Array.isArray(to) ? to : to ? [to] : []).filter(Boolean);
    if (!list.length) {
      this.log.warn({ kind: payload.kind, ...meta }, 'no address to send to; message not queued');
      return;
    }
    this.queued.push(...(await enqueue(this.repos, this.platforms, { to: list, payload, personId: meta.personId, requestId: meta.requestId }, this.now)));
  }

  /** Text to a person of the directory, on the platform they use. */
  async tell(person: Person, text: string, requestId?: number): Promise<void> {
    const a = this.dir.addressOf(person);
    if (!a) {
      this.log.warn({ personId: person.id }, 'person has no id on any enabled platform; message not queued');
      return;
    }
    await this.send(a, { kind: 'text', text }, { personId: person.id, requestId });
  }

  async event(requestId: number, type: string, actor: ActorRef, channel: string | null, data: Record<string, unknown> = {}): Promise<void> {
    await this.events.add({ requestId, at: this.now, type, actor, channel, data });
  }
}

/** Runs `fn` in a transaction; once committed, the outbox hears of it through `Db.onCommit`. */
export function inTx<T>(deps: AppDeps, log: Logger, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return deps.db.tx((repos) => fn(new Tx(repos, deps, deps.clock.now().getTime(), log)));
}
