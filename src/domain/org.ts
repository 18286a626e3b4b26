import { z } from 'zod';
import { matterOverrideSchema } from './catalogue';
import { POSITIONS } from './positions';
import { isDay } from './time';

/** The org directory file (docs/interface.md#org-file). */
export const ROLES = ['leader', 'township_office', 'county_centre', 'resident_cadre', 'village_cadre'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  leader: '镇领导',
  township_office: '镇民情处理站',
  county_centre: '县民情处理中心',
  resident_cadre: '驻村干部',
  village_cadre: '村干部',
};

const id = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1–64 letters, digits, _ . or -');
const platformId = z.string().min(1).max(128).optional();
const personIds = z.array(id).default([]);
export const WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEK)[number];

/**
 * Township duty on days that are not working days (docs/interface.md#year, seed 000 §二 (docs/rules.md#sources)): keys are weekdays
 * (`sat`, `sun`, …) or dates (`2026-10-01`); for a given day its date wins over its weekday.
 */
const townshipDuty = z
  .record(z.string(), personIds)
  .superRefine((duty, ctx) => {
    for (const k of Object.keys(duty)) {
      if (!(WEEK as readonly string[]).includes(k) && !isDay(k)) ctx.addIssue({ code: 'custom', path: [k], message: 'must be a weekday (mon…sun) or a date YYYY-MM-DD' });
    }
  });

export const orgSchema = z
  .object({
    township: z.object({ name: z.string().min(1), duty: townshipDuty.optional() }),
    people: z.array(
      z.object({
        id,
        name: z.string().min(1).max(64),
        roles: z.array(z.enum(ROLES)).min(1),
        title: z.string().max(64).optional(),
        /** Place in the hierarchy (positions.ts); without it, read from title and roles. */
        position: z.enum(POSITIONS).optional(),
        phone: z.string().max(32).optional(),
        wecom: platformId,
        dingtalk: platformId,
        /** 结对帮扶 households (names), visited at least once a month. */
        pairs: z.array(z.string().min(1).max(64)).optional(),
      }),
    ),
    villages: z.array(
      z.object({
        id,
        name: z.string().min(1).max(64),
        resident: personIds,
        cadres: personIds,
        secretary: id.optional(),
        /** 村委会主任: with the secretary, the village's 村主干 (seed 001 §二.4, docs/rules.md#sources). May be the secretary (一肩挑). */
        director: id.optional(),
        /**
         * 责任片(组): the 组 each village cadre covers (seed 001 §二.4: every household of their 责任片 twice a
         * year, docs/rules.md#sources), e.g. {"zhangsan": ["1组", "2组"]}. A cadre not listed covers the whole village.
         */
        areas: z.record(id, z.array(z.string().min(1).max(32)).min(1)).optional(),
        duty: z.object(Object.fromEntries(WEEK.map((d) => [d, personIds])) as Record<(typeof WEEK)[number], typeof personIds>).partial().default({}),
      }),
    ),
    villagers: z
      .array(
        z.object({
          name: z.string().min(1).max(64),
          village: id,
          phone: z.string().max(32).optional(),
          wecom: platformId,
          dingtalk: platformId,
        }),
      )
      .default([]),
    /** Changes to the built-in 农事村办 catalogue (catalogue.ts). */
    matters: z.array(matterOverrideSchema).optional(),
  })
  .superRefine((org, ctx) => {
    const people = new Set<string>();
    const seen = (kind: string, map: Map<string, number>, key: string | undefined, path: (string | number)[]) => {
      if (!key) return;
      if (map.has(key)) ctx.addIssue({ code: 'custom', path, message: `${kind} "${key}" is used twice` });
      map.set(key, 1);
    };
    const wecom = new Map<string, number>();
    const dingtalk = new Map<string, number>();
    org.people.forEach((p, i) => {
      if (people.has(p.id)) ctx.addIssue({ code: 'custom', path: ['people', i, 'id'], message: `person id "${p.id}" is used twice` });
      people.add(p.id);
      seen('wecom id', wecom, p.wecom, ['people', i, 'wecom']);
      seen('dingtalk id', dingtalk, p.dingtalk, ['people', i, 'dingtalk']);
    });
    const villages = new Set<string>();
    org.villages.forEach((v, i) => {
      if (villages.has(v.id)) ctx.addIssue({ code: 'custom', path: ['villages', i, 'id'], message: `village id "${v.id}" is used twice` });
      villages.add(v.id);
      const check = (pid: string, path: (string | number)[]) => {
        if (!people.has(pid)) ctx.addIssue({ code: 'custom', path, message: `no person with id "${pid}"` });
      };
      v.resident.forEach((p, j) => check(p, ['villages', i, 'resident', j]));
      v.cadres.forEach((p, j) => check(p, ['villages', i, 'cadres', j]));
      if (v.secretary) check(v.secretary, ['villages', i, 'secretary']);
      if (v.director) check(v.director, ['villages', i, 'director']);
      for (const pid of Object.keys(v.areas ?? {})) {
        if (!v.cadres.includes(pid)) ctx.addIssue({ code: 'custom', path: ['villages', i, 'areas', pid], message: `"${pid}" is not one of this village's cadres` });
      }
      for (const [day, list] of Object.entries(v.duty)) list?.forEach((p, j) => check(p, ['villages', i, 'duty', day, j]));
    });
    for (const [day, list] of Object.entries(org.township.duty ?? {})) list.forEach((p, j) => {
      if (!people.has(p)) ctx.addIssue({ code: 'custom', path: ['township', 'duty', day, j], message: `no person with id "${p}"` });
    });
    const matters = new Set<string>();
    org.matters?.forEach((m, i) => {
      if (matters.has(m.id)) ctx.addIssue({ code: 'custom', path: ['matters', i, 'id'], message: `matter id "${m.id}" is used twice` });
      matters.add(m.id);
    });
    org.villagers.forEach((v, i) => {
      if (!villages.has(v.village)) ctx.addIssue({ code: 'custom', path: ['villagers', i, 'village'], message: `no village with id "${v.village}"` });
      seen('wecom id', wecom, v.wecom, ['villagers', i, 'wecom']);
      seen('dingtalk id', dingtalk, v.dingtalk, ['villagers', i, 'dingtalk']);
    });
  });

export type OrgFile = z.infer<typeof orgSchema>;

export function parseOrg(raw: unknown, source = 'org file'): OrgFile {
  const parsed = orgSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 10).map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new Error(`组织架构文件有误 / invalid ${source}:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
