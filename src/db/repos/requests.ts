import { Between, EntityManager, In, IsNull, LessThan, MoreThanOrEqual } from 'typeorm';
import { affected, isUniqueViolation } from '../data-source';
import { DayCounterRow, RequestRow } from '../entities';
import { OPEN, Status, UNFINISHED, WORKING } from '../../domain/status';
import { shanghaiDay } from '../../domain/time';
import type { Dialect } from '../data-source';

/** What a new request row is made of (its code, status and timestamps come from here). */
export type NewRequestRow = Pick<RequestRow, 'villageId' | 'category' | 'level' | 'text' | 'reporterVillagerId' | 'reporterName' | 'channel' | 'replyTo' | 'receivedAt'> &
  Partial<Pick<RequestRow, 'reporterPhone' | 'reporterOrg'>>;

export interface RequestFilter {
  statuses?: string[];
  village?: string;
  since?: number;
  limit: number;
}

/** Conditions a transition may add to "still in one of these statuses". */
export interface Still {
  level?: string;
  unowned?: boolean;
  /** Still owned by this person (a 交接 changes the owner only while it is theirs). */
  owner?: string;
}

/** Requests: the 销号台账's rows, read and moved on by the rules. */
export class RequestRepo {
  constructor(
    private readonly em: EntityManager,
    private readonly dialect: Dialect,
  ) {}

  private get repo() {
    return this.em.getRepository(RequestRow);
  }

  byId(id: number): Promise<RequestRow | null> {
    return this.repo.findOneBy({ id });
  }

  byCode(code: string): Promise<RequestRow | null> {
    return this.repo.findOneBy({ code });
  }

  /** One of this villager's requests by its code (a villager never reaches anyone else's). */
  byCodeOf(code: string, villagerId: number): Promise<RequestRow | null> {
    return this.repo.findOneBy({ code, reporterVillagerId: villagerId });
  }

  /** The villager's most recent request that is not closed or refused. */
  latestUnfinishedOf(villagerId: number): Promise<RequestRow | null> {
    return this.repo.findOne({ where: { reporterVillagerId: villagerId, status: In([...UNFINISHED]) }, order: { id: 'DESC' } });
  }

  latestOf(villagerId: number, status: Status): Promise<RequestRow | null> {
    return this.repo.findOne({ where: { reporterVillagerId: villagerId, status }, order: { id: 'DESC' } });
  }

  /** The villager's request that has waited longest for their rating. */
  oldestResolvedOf(villagerId: number): Promise<RequestRow | null> {
    return this.repo.findOne({ where: { reporterVillagerId: villagerId, status: 'resolved' }, order: { resolvedAt: 'ASC' } });
  }

  async awaitsRating(villagerId: number): Promise<boolean> {
    return (await this.repo.countBy({ reporterVillagerId: villagerId, status: 'resolved' })) > 0;
  }

  /** The villager's own: the open ones (newest first), or else the latest few. */
  async ofVillager(villagerId: number, o: { open: boolean; take: number }): Promise<RequestRow[]> {
    const where = o.open ? { reporterVillagerId: villagerId, status: In([...UNFINISHED]) } : { reporterVillagerId: villagerId };
    return this.repo.find({ where, order: { id: 'DESC' }, take: o.take });
  }

  mergedInto(id: number): Promise<RequestRow[]> {
    return this.repo.findBy({ mergedInto: id });
  }

  async byIds(ids: number[]): Promise<RequestRow[]> {
    const out: RequestRow[] = [];
    for (let i = 0; i < ids.length; i += 500) out.push(...(await this.repo.findBy({ id: In(ids.slice(i, i + 500)) })));
    return out.sort((a, b) => a.id - b.id);
  }

  /** The next request code of a Shanghai day: `20261124-007`. Safe under concurrent writers. */
  async nextCode(at: Date): Promise<string> {
    const day = shanghaiDay(at).replace(/-/g, '');
    const counters = this.em.getRepository(DayCounterRow);
    const bump = () => this.em.createQueryBuilder().update(DayCounterRow).set({ n: () => 'n + 1' }).where('day = :day', { day }).execute();
    if (affected(await bump()) === 0) {
      try {
        await counters.insert({ day, n: 1 });
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        await bump();
      }
    }
    const row = await counters.findOneByOrFail({ day });
    return `${day}-${String(row.n).padStart(3, '0')}`;
  }

  async insert(n: NewRequestRow): Promise<RequestRow> {
    const code = await this.nextCode(new Date(n.receivedAt));
    return this.repo.save(
      this.repo.create({
        reporterPhone: null,
        reporterOrg: null,
        ...n,
        code,
        status: 'pending',
        tier: 'general',
        ownerId: null,
        acceptedAt: null,
        deadline: null,
        originalDeadline: null,
        resolvedAt: null,
        closedAt: null,
        satisfaction: null,
        lastMessageAt: n.receivedAt,
        version: 1,
      }),
    );
  }

  /**
   * Moves a request on only if it is still in one of `from` (and `still` holds) — a conditional
   * UPDATE, so of two concurrent taps (two 同意, two 办结) exactly one takes effect. Updates `req`
   * in place on success.
   *
   * A patch that sets `deadline` without `originalDeadline` is a deadline the rules set (受理, 上报,
   * reopening): it is the figures' deadline too, so `originalDeadline` is cleared. Only 时限 passes
   * `originalDeadline`, to keep the one before.
   */
  async transition(req: RequestRow, from: readonly string[], patch: Partial<RequestRow>, still: Still = {}): Promise<boolean> {
    if ('deadline' in patch && !('originalDeadline' in patch)) patch = { ...patch, originalDeadline: null };
    const q = this.em
      .createQueryBuilder()
      .update(RequestRow)
      .set({ ...patch, version: () => 'version + 1' })
      .where('id = :id AND status IN (:...from)', { id: req.id, from });
    if (still.unowned) q.andWhere('owner_id IS NULL');
    if (still.owner) q.andWhere('owner_id = :owner', { owner: still.owner });
    if (still.level) q.andWhere(`${this.dialect === 'mysql' ? '`level`' : '"level"'} = :level`, { level: still.level });
    if (affected(await q.execute()) !== 1) return false;
    Object.assign(req, patch, { version: req.version + 1 });
    return true;
  }

  /** A plain update of fields that no rule races on (category, last message time). */
  async update(id: number, patch: Partial<Pick<RequestRow, 'category' | 'lastMessageAt'>>): Promise<void> {
    await this.repo.update({ id }, patch);
  }

  /**
   * The request as last committed — on MySQL a locking read, which sees past this transaction's
   * snapshot (what a plain read would still show after a concurrent writer won).
   */
  latest(id: number): Promise<RequestRow> {
    if (this.dialect === 'mysql') return this.repo.findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
    return this.repo.findOneByOrFail({ id });
  }

  /** Newest first, for the API. */
  list(f: RequestFilter): Promise<RequestRow[]> {
    const q = this.repo.createQueryBuilder('r').orderBy('r.received_at', 'DESC').addOrderBy('r.id', 'DESC').limit(f.limit);
    if (f.statuses?.length) q.andWhere('r.status IN (:...list)', { list: f.statuses });
    if (f.village) q.andWhere('r.village_id = :village', { village: f.village });
    if (f.since !== undefined) q.andWhere('r.received_at >= :t', { t: f.since });
    return q.getMany();
  }

  /** What a person owns or handles and is not closed (待办). */
  mine(personId: string, handled: number[]): Promise<RequestRow[]> {
    return this.repo.find({
      where: [
        { ownerId: personId, status: In(['accepted', 'rejection_pending', 'resolved']) },
        ...(handled.length ? [{ id: In(handled), status: In([...WORKING]) }] : []),
      ],
    });
  }

  withStatus(status: Status, o: { take: number; order: 'receivedAt' | 'id' }): Promise<RequestRow[]> {
    return this.repo.find({ where: { status }, order: { [o.order]: 'ASC' }, take: o.take });
  }

  openInVillage(villageId: string): Promise<RequestRow[]> {
    return this.repo.find({ where: { villageId, status: In([...OPEN]) }, order: { receivedAt: 'ASC' } });
  }

  receivedBetween(from: number, to: number): Promise<RequestRow[]> {
    return this.repo.find({ where: { receivedAt: Between(from, to) }, order: { receivedAt: 'ASC' } });
  }

  /** Requests still in hand or awaiting the villager's answer whose owner is one of `ids` (a 交接's work), oldest first. */
  openOwnedBy(ids: string[]): Promise<RequestRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.repo.find({ where: { ownerId: In(ids), status: In(['accepted', 'rejection_pending', 'resolved']) }, order: { receivedAt: 'ASC', id: 'ASC' } });
  }

  /** 销号 in [from, to): closed (satisfied or 未评价), not merged — what 回访 samples. */
  closedBetween(from: number, to: number): Promise<RequestRow[]> {
    return this.repo.find({ where: { status: 'closed', closedAt: Between(from, to - 1), mergedInto: IsNull() }, order: { closedAt: 'ASC', id: 'ASC' } });
  }

  /** In hand, of these tiers, accepted since `since` (the complaints awaiting their 当日回复). */
  acceptedOfTiers(tiers: string[], since: number): Promise<RequestRow[]> {
    return this.repo.find({ where: { status: 'accepted', tier: In(tiers), acceptedAt: MoreThanOrEqual(since) }, order: { acceptedAt: 'ASC', id: 'ASC' } });
  }

  /** New requests nobody has taken, received in [from, to], oldest first. */
  pendingBetween(from: number, to: number): Promise<RequestRow[]> {
    return this.repo.find({ where: { status: 'pending', receivedAt: Between(from, to) }, order: { receivedAt: 'ASC', id: 'ASC' } });
  }

  openAtLevels(levels: string[]): Promise<RequestRow[]> {
    return this.repo.find({ where: { level: In(levels), status: In([...OPEN]) }, order: { receivedAt: 'ASC' } });
  }

  overdue(now: number): Promise<RequestRow[]> {
    return this.repo.find({ where: { status: In([...WORKING]), deadline: LessThan(now) }, order: { deadline: 'ASC' } });
  }

  /** Resolved before `cutoff` and still waiting for the villager's answer, oldest first. */
  resolvedBefore(cutoff: number): Promise<RequestRow[]> {
    return this.repo.find({ where: { status: 'resolved', resolvedAt: LessThan(cutoff) }, order: { resolvedAt: 'ASC' } });
  }

  /** The 销号台账 rows of a period (and village, statuses), oldest first. */
  ledger(f: { since: number; until: number; village?: string; statuses?: string[] }): Promise<RequestRow[]> {
    const where: Record<string, unknown> = { receivedAt: Between(f.since, f.until) };
    if (f.village) where.villageId = f.village;
    if (f.statuses?.length) where.status = In(f.statuses);
    return this.repo.find({ where, order: { receivedAt: 'ASC', id: 'ASC' }, take: 100_000 });
  }
}
