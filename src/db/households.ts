import { EntityManager, FindOptionsWhere, In } from 'typeorm';
import type { Household, HouseholdInput } from '../domain/households';
import type { Db } from './db';
import { HouseholdRow } from './entities';

/** What one import did, row by row (docs/interface.md#year: added, updated and left unchanged). */
export interface HouseholdImport {
  added: HouseholdInput[];
  /** With the fields that changed (户主表 names: 联系电话, 人口, 备注, 状态). */
  updated: { input: HouseholdInput; changed: string[] }[];
  unchanged: HouseholdInput[];
}

const FIELDS = [
  ['phone', '联系电话'],
  ['members', '人口'],
  ['note', '备注'],
  ['active', '状态'],
] as const;

const keyOf = (h: { villageId: string; head: string; grp?: string; group?: string }) => `${h.villageId}\u0000${h.head}\u0000${h.grp ?? h.group ?? ''}`;

export function toHousehold(r: HouseholdRow): Household {
  return { id: r.id, villageId: r.villageId, head: r.head, group: r.grp, phone: r.phone, members: r.members, note: r.note, active: r.active };
}

/**
 * Writes checked rows into the register, in one transaction. Idempotent: a household is the same
 * when village, 户主 and 组 match; a field whose column the file does not have is left as it is;
 * households not in the file are left alone (a file may cover one village or one 组).
 */
export function importHouseholds(db: Db, rows: HouseholdInput[], now: number): Promise<HouseholdImport> {
  return db.tx((r) => r.households.import(rows, now));
}

/** The household register (民情档案). */
export class HouseholdRepo {
  constructor(private readonly em: EntityManager) {}

  async import(rows: HouseholdInput[], now: number): Promise<HouseholdImport> {
    const repo = this.em.getRepository(HouseholdRow);
    const villages = [...new Set(rows.map((r) => r.villageId))];
    const existing = new Map((villages.length ? await repo.findBy({ villageId: In(villages) }) : []).map((r) => [keyOf(r), r]));
    const out: HouseholdImport = { added: [], updated: [], unchanged: [] };
    for (const input of rows) {
      const have = existing.get(keyOf(input));
      if (!have) {
        await repo.insert({
          villageId: input.villageId,
          head: input.head,
          grp: input.group,
          phone: input.phone ?? null,
          members: input.members ?? null,
          note: input.note ?? null,
          active: input.active ?? true,
          createdAt: now,
          updatedAt: now,
        });
        out.added.push(input);
        continue;
      }
      const want: Partial<HouseholdRow> = {};
      const changed: string[] = [];
      for (const [field, label] of FIELDS) {
        const v = input[field];
        if (v !== undefined && v !== have[field]) {
          (want as Record<string, unknown>)[field] = v;
          changed.push(label);
        }
      }
      if (changed.length) {
        await repo.update({ id: have.id }, { ...want, updatedAt: now });
        out.updated.push({ input, changed });
      } else out.unchanged.push(input);
    }
    return out;
  }

  async list(opts: { villageId?: string; activeOnly?: boolean } = {}): Promise<Household[]> {
    const where: FindOptionsWhere<HouseholdRow> = {};
    if (opts.villageId) where.villageId = opts.villageId;
    if (opts.activeOnly) where.active = true;
    return (await this.em.getRepository(HouseholdRow).find({ where, order: { id: 'ASC' } })).map(toHousehold);
  }
}

/** The register in the order it was filled (the same on both dialects); `villageId` narrows it, `activeOnly` drops households off the register. */
export function loadHouseholds(db: Db, opts: { villageId?: string; activeOnly?: boolean } = {}): Promise<Household[]> {
  return db.read.households.list(opts);
}
