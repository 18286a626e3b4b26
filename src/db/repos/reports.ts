import { Brackets, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { DiaryEntryRow, RequestEventRow, RequestRow, SupervisionRow } from '../entities';
import { WORKING } from '../../domain/status';

const chunks = <T>(list: readonly T[], n = 500): T[][] => Array.from({ length: Math.ceil(list.length / n) }, (_, i) => list.slice(i * n, (i + 1) * n));

/** The 销号台账's rows a page asks for: a remit, then the filters (docs/interface.md#dashboard-and-ledger). */
export interface LedgerQuery {
  /** Received in [since, until). */
  since?: number;
  until?: number;
  /** The remit's villages (null key: township-level); null: every request. */
  villages: readonly (string | null)[] | null;
  /** With `villages`: also the requests this person owns or handles, wherever they are. */
  personId?: string;
  village?: string;
  owner?: string;
  statuses?: readonly string[];
  limit: number;
}

/** An open overdue request's keys (the dashboard's "late first"). */
export interface OverdueKey {
  id: number;
  villageId: string | null;
  ownerId: string | null;
  category: number | null;
  deadline: number;
}

/** The open overdue requests of one (village, owner, category): how many, and the earliest deadline. */
export interface OverdueGroup {
  villageId: string | null;
  ownerId: string | null;
  category: number | null;
  count: number;
  first: number;
}

type Raw = Record<string, unknown>;
const text = (x: unknown) => (x === null || x === undefined ? null : typeof x === 'string' ? x : JSON.stringify(x));

/** A 督办单 with what the dashboard shows of its request. */
export interface SupervisionView extends SupervisionRow {
  code: string | null;
  villageId: string | null;
  text: string | null;
}

/** Reads for the leaders' and clerks' pages: the ledger by remit, overdue keys, 督办单, a person's diary. */
export class ReportsRepo {
  constructor(private readonly em: EntityManager) {}

  private ledgerWhere(q: LedgerQuery): SelectQueryBuilder<RequestRow> {
    const qb = this.em.getRepository(RequestRow).createQueryBuilder('r');
    if (q.since !== undefined) qb.andWhere('r.receivedAt >= :since', { since: q.since });
    if (q.until !== undefined) qb.andWhere('r.receivedAt < :until', { until: q.until });
    if (q.villages) {
      const named = q.villages.filter((v): v is string => v !== null);
      const township = q.villages.includes(null);
      qb.andWhere(
        new Brackets((w) => {
          w.where('1 = 0');
          if (named.length) w.orWhere('r.villageId IN (:...remitVillages)', { remitVillages: named });
          if (township) w.orWhere('r.villageId IS NULL');
          if (q.personId) {
            w.orWhere('r.ownerId = :remitPerson', { remitPerson: q.personId });
            w.orWhere(`r.id IN (SELECT h.request_id FROM request_handler h WHERE h.person_id = :remitPerson)`, { remitPerson: q.personId });
          }
        }),
      );
    }
    if (q.village) qb.andWhere('r.villageId = :village', { village: q.village });
    if (q.owner) qb.andWhere('r.ownerId = :owner', { owner: q.owner });
    if (q.statuses?.length) qb.andWhere('r.status IN (:...statuses)', { statuses: [...q.statuses] });
    return qb;
  }

  /** The rows (oldest first, at most `limit`) and how many there are in all. */
  async ledger(q: LedgerQuery): Promise<{ rows: RequestRow[]; total: number }> {
    const rows = await this.ledgerWhere(q).orderBy('r.receivedAt', 'ASC').addOrderBy('r.id', 'ASC').take(q.limit).getMany();
    const total = rows.length < q.limit ? rows.length : await this.ledgerWhere(q).getCount();
    return { rows, total };
  }

  /**
   * The open overdue requests (in hand, past their deadline, not merged into another) — the figures'
   * 超期 — counted per (village, owner, category) in SQL, with each group's earliest deadline: at
   * 1,000,000 requests there are some 30,000, which the page only counts. The (status, deadline,
   * merged_into, village_id, owner_id, category) index holds every column read; merged_into is tested
   * in the sums, not in WHERE, where the planner would take its own index (NULL almost everywhere).
   */
  async overdueGroups(now: number): Promise<OverdueGroup[]> {
    const rows = await this.em.query<Raw[]>(
      `SELECT village_id v, owner_id o, category c,
         SUM(CASE WHEN merged_into IS NULL THEN 1 ELSE 0 END) n, MIN(CASE WHEN merged_into IS NULL THEN deadline END) first
       FROM request WHERE status IN (${WORKING.map(() => '?').join(', ')}) AND deadline < ?
       GROUP BY village_id, owner_id, category`,
      [...WORKING, now],
    );
    return rows
      .filter((r) => Number(r.n) > 0)
      .map((r) => ({ villageId: text(r.v), ownerId: text(r.o), category: r.c === null ? null : Number(r.c), count: Number(r.n), first: Number(r.first) }));
  }

  /** The open overdue requests of these villages (null: township-level) as keys, most overdue first. */
  async overdueKeys(now: number, villages: readonly (string | null)[]): Promise<OverdueKey[]> {
    const named = villages.filter((v): v is string => v !== null);
    const parts = [...(named.length ? [`village_id IN (${named.map(() => '?').join(', ')})`] : []), ...(villages.includes(null) ? ['village_id IS NULL'] : [])];
    if (!parts.length) return [];
    const rows = await this.em.query<Raw[]>(
      `SELECT id, village_id v, owner_id o, category c, deadline, merged_into m FROM request
       WHERE status IN (${WORKING.map(() => '?').join(', ')}) AND deadline < ? AND (${parts.join(' OR ')})`,
      [...WORKING, now, ...named],
    );
    return rows
      .filter((r) => r.m === null)
      .map((r) => ({ id: Number(r.id), villageId: text(r.v), ownerId: text(r.o), category: r.c === null ? null : Number(r.c), deadline: Number(r.deadline) }))
      .sort((a, b) => a.deadline - b.deadline || a.id - b.id);
  }

  /** 督办单 still open, and those carried out in [from, to), with their request's code and village. */
  async supervisions(from: number, to: number): Promise<SupervisionView[]> {
    const sups = await this.em
      .getRepository(SupervisionRow)
      .createQueryBuilder('s')
      .where(new Brackets((w) => w.where("s.status = 'open'").orWhere('s.doneAt >= :from AND s.doneAt < :to', { from, to })))
      .orderBy('s.deadline', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .take(2000)
      .getMany();
    return this.withRequests(sups);
  }

  async supervision(id: number): Promise<SupervisionView | null> {
    const s = await this.em.getRepository(SupervisionRow).findOneBy({ id });
    return s ? (await this.withRequests([s]))[0] : null;
  }

  private async withRequests(sups: SupervisionRow[]): Promise<SupervisionView[]> {
    const ids = [...new Set(sups.map((s) => s.requestId).filter((x): x is number => x !== null))];
    const reqs = ids.length ? await this.em.getRepository(RequestRow).find({ where: { id: In(ids) }, select: { id: true, code: true, villageId: true, text: true } }) : [];
    const byId = new Map(reqs.map((r) => [r.id, r]));
    return sups.map((s) => {
      const r = s.requestId === null ? undefined : byId.get(s.requestId);
      return Object.assign(s, { code: r?.code ?? null, villageId: r?.villageId ?? null, text: r?.text ?? null });
    });
  }

  /** A person's 民情日记 entries in [from, to), oldest first. */
  diaryOf(personId: string, from: number, to: number): Promise<DiaryEntryRow[]> {
    return this.em
      .getRepository(DiaryEntryRow)
      .createQueryBuilder('d')
      .where('d.personId = :personId AND d.at >= :from AND d.at < :to', { personId, from, to })
      .orderBy('d.at', 'ASC')
      .addOrderBy('d.id', 'ASC')
      .getMany();
  }

  /**
   * The matters of a person's diary in [from, to): requests they own or handle that were received,
   * accepted or resolved in the period, and those they wrote a diary entry about in it.
   */
  async mattersOf(personId: string, from: number, to: number, withEntries: readonly number[]): Promise<RequestRow[]> {
    const qb = this.em
      .getRepository(RequestRow)
      .createQueryBuilder('r')
      .where(
        new Brackets((w) => {
          w.where('r.ownerId = :personId', { personId });
          w.orWhere('r.id IN (SELECT h.request_id FROM request_handler h WHERE h.person_id = :personId)');
        }),
      )
      .andWhere(
        new Brackets((w) =>
          w
            .where('r.receivedAt >= :from AND r.receivedAt < :to', { from, to })
            .orWhere('r.acceptedAt >= :from AND r.acceptedAt < :to')
            .orWhere('r.resolvedAt >= :from AND r.resolvedAt < :to'),
        ),
      );
    const found = await qb.take(5000).getMany();
    const more = withEntries.filter((id) => !found.some((r) => r.id === id));
    for (const ids of chunks(more)) found.push(...(await this.em.getRepository(RequestRow).findBy({ id: In(ids) })));
    return found.sort((a, b) => a.receivedAt - b.receivedAt || a.id - b.id);
  }

  /** The timelines of these requests, oldest first. */
  async eventsOf(ids: readonly number[]): Promise<RequestEventRow[]> {
    const out: RequestEventRow[] = [];
    for (const part of chunks(ids)) out.push(...(await this.em.getRepository(RequestEventRow).find({ where: { requestId: In(part) }, order: { at: 'ASC', id: 'ASC' } })));
    return out.sort((a, b) => a.at - b.at || a.id - b.id);
  }
}
