import { EntityManager } from 'typeorm';
import { affected, isUniqueViolation } from '../data-source';
import { In } from 'typeorm';
import { CardRecipientRow, CardRow, KvRow, PageTicketRow, RequestRow, RequestSignatureRow } from '../entities';

export type NewSignature = Omit<RequestSignatureRow, 'id'>;

/** What the pages keep: the session secret, shared platform tickets, villagers' signatures. */
export class PageRepo {
  constructor(private readonly em: EntityManager) {}

  /**
   * The value under `key`, written first by whoever asks first: of several instances starting at
   * once, every one ends up with the same value (an INSERT that collides reads the winner's).
   */
  async once(key: string, make: () => string, at: number): Promise<string> {
    const kv = this.em.getRepository(KvRow);
    const have = await kv.findOneBy({ key });
    if (have) return have.value;
    try {
      await kv.insert({ key, value: make(), updatedAt: at });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
    }
    return (await kv.findOneByOrFail({ key })).value;
  }

  ticket(key: string): Promise<PageTicketRow | null> {
    return this.em.getRepository(PageTicketRow).findOneBy({ key });
  }

  /**
   * Takes the lease to fetch ticket `key` anew, if no one holds it and the stored ticket is not good
   * until `freshUntil`: one conditional UPDATE (or the first INSERT), so of all instances asking at
   * once exactly one gets it.
   */
  async lease(key: string, owner: string, now: number, until: number, freshUntil: number): Promise<boolean> {
    const r = await this.em
      .createQueryBuilder()
      .update(PageTicketRow)
      .set({ leaseUntil: until, leaseOwner: owner, updatedAt: now })
      .where('key = :key AND (lease_until IS NULL OR lease_until < :now) AND (value IS NULL OR expires_at <= :fresh)', { key, now, fresh: freshUntil })
      .execute();
    if (affected(r) === 1) return true;
    if (await this.ticket(key)) return false;
    try {
      await this.em.getRepository(PageTicketRow).insert({ key, value: null, expiresAt: 0, leaseUntil: until, leaseOwner: owner, updatedAt: now });
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  /** Stores a fetched ticket and gives up the lease (only the lease holder's write counts). */
  async storeTicket(key: string, owner: string, value: string, expiresAt: number, now: number): Promise<void> {
    await this.em.getRepository(PageTicketRow).update({ key, leaseOwner: owner }, { value, expiresAt, leaseUntil: null, leaseOwner: null, updatedAt: now });
  }

  /** Gives up the lease after a failed fetch, so another may try at once. */
  async releaseLease(key: string, owner: string): Promise<void> {
    await this.em.getRepository(PageTicketRow).update({ key, leaseOwner: owner }, { leaseUntil: null, leaseOwner: null });
  }

  async addSignature(s: NewSignature): Promise<RequestSignatureRow> {
    const repo = this.em.getRepository(RequestSignatureRow);
    return repo.save(repo.create(s));
  }

  /**
   * The latest 申办人签字 of a request (the 受理卡 prints it), or null. `png` is base64; the newest
   * one counts when the villager signed more than once.
   */
  latestSignature(requestId: number): Promise<RequestSignatureRow | null> {
    return this.em.getRepository(RequestSignatureRow).findOne({ where: { requestId }, order: { id: 'DESC' } });
  }

  /** The requests on which `personId` holds an open card of `kind` (我的待办's 待受理), newest first. */
  async openCardRequests(personId: string, kind: string, take = 200): Promise<number[]> {
    const rows = await this.em
      .getRepository(CardRecipientRow)
      .createQueryBuilder('cr')
      .innerJoin(CardRow, 'c', 'c.id = cr.card_id')
      .select('c.request_id', 'requestId')
      .where("cr.person_id = :personId AND c.kind = :kind AND c.state = 'open'", { personId, kind })
      .orderBy('c.id', 'DESC')
      .limit(take)
      .getRawMany<{ requestId: number | string }>();
    return [...new Set(rows.map((r) => Number(r.requestId)))];
  }

  /**
   * Refusals waiting for a decision that `approversFor` gives to: a village secretary (village-level ones
   * of `villageIds`) or a township leader (`leader`: above the village, and villages without a secretary).
   * By the (status, deadline) index; sorted here, so the table is never walked in id order.
   */
  async pendingRefusals(o: { villageIds: string[]; leader: boolean }, take = 200): Promise<RequestRow[]> {
    const mysql = this.em.connection.options.type === 'mysql';
    const lvl = mysql ? '`level`' : '"level"';
    const repo = this.em.getRepository(RequestRow);
    let rows: RequestRow[];
    if (o.leader) {
      const q = repo.createQueryBuilder('r').where("r.status = 'rejection_pending'");
      q.andWhere(o.villageIds.length ? `(r.${lvl} <> 'village' OR r.village_id IN (:...v))` : `r.${lvl} <> 'village'`, { v: o.villageIds });
      rows = await q.limit(5000).getMany();
    } else {
      if (!o.villageIds.length) return [];
      // By (village_id, status): SQLite, without statistics, would take the status index and read every
      // refusal of the township.
      const marks = o.villageIds.map(() => '?').join(', ');
      const ids = await this.em.query<{ id: number | string }[]>(
        `SELECT id FROM request${mysql ? '' : ' INDEXED BY ix_request_village_id_status'} WHERE village_id IN (${marks}) AND status = 'rejection_pending' AND ${lvl} = 'village'`,
        o.villageIds,
      );
      rows = ids.length ? await repo.findBy({ id: In(ids.slice(0, 5000).map((r) => Number(r.id))) }) : [];
    }
    return rows.sort((a, b) => b.id - a.id).slice(0, take);
  }

}
