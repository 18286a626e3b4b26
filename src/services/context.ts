import { EntityManager } from 'typeorm';
import { Clock } from '../clock';
import { Db } from '../db/db';
import { OutboxRow, RequestEventRow, VillagerRow } from '../db/entities';
import { WorkCalendar } from '../domain/calendar';
import { Logger } from '../log';
import { enqueue } from '../outbox/outbox';
import { Address, OutboundPayload, PlatformName } from '../platform/types';
import { Directory, Person } from '../domain/directory';

/** What the services need, handed in once at the composition root. */
export interface AppDeps {
  db: Db;
  directory: Directory;
  calendar: WorkCalendar;
  clock: Clock;
  log: Logger;
  publicBaseUrl: string;
  platforms: PlatformName[];
}

/** Who did something: a villager, a person of the org directory, or the system itself. */
export type ActorRef = `villager:${number}` | `person:${string}` | 'system';

/**
 * One unit of work inside a database transaction: what it writes — request changes, timeline
 * events, outbound messages — commits together or not at all.
 */
export class Tx {
  readonly queued: OutboxRow[] = [];

  constructor(
    readonly em: EntityManager,
    readonly deps: AppDeps,
    readonly now: number,
    readonly log: Logger,
  ) {}

  get dir(): Directory {
    return this.deps.directory;
  }

  /** Queue a message; it leaves after the transaction commits. */
  async send(to: Address | Address[] | null, payload: OutboundPayload, meta: { personId?: string; requestId?: number } = {}): Promise<void> {
    const list = (Array.isArray(to) ? to : to ? [to] : []).filter(Boolean);
    if (!list.length) {
      this.log.warn({ kind: payload.kind, ...meta }, 'no address to send to; message not queued');
      return;
    }
    this.queued.push(...(await enqueue(this.em, { to: list, payload, personId: meta.personId, requestId: meta.requestId }, this.now)));
    // 微信客服 allows 5 messages per 48 h window after the villager's last one — every message counts,
    // receipts and replies too (see reporter.ts, which holds what no longer fits).
    for (const a of list) {
      if (a.channel !== 'kf') continue;
      await this.em.createQueryBuilder().update(VillagerRow).set({ windowOut: () => 'window_out + 1' }).where('kf_external_id = :id', { id: a.userId }).execute();
    }
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
    await this.em.getRepository(RequestEventRow).insert({ requestId, at: this.now, type, actor, channel, data: data as never });
  }
}

/** Runs `fn` in a transaction and, once committed, lets the outbox know there is work. */
export async function inTx<T>(deps: AppDeps, log: Logger, fn: (tx: Tx) => Promise<T>, after?: (tx: Tx) => void): Promise<T> {
  let tx!: Tx;
  const result = await deps.db.tx(async (em) => {
    tx = new Tx(em, deps, deps.clock.now().getTime(), log);
    return fn(tx);
  });
  after?.(tx);
  return result;
}
