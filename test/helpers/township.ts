import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './tmp';

/**
 * A 29-cadre township with half a year of requests whose every outcome is known (,
 * the size of seed 004 (docs/rules.md#sources): 1322 people received). Deterministic: the same rows every run. Rows are
 * simulated step by step up to `now`, so the state in the database is what the timeline says.
 */
export const VILLAGES = ['关沟村', '白垭村', '财梁村', '石门村', '龙潭村', '青山村', '柳树村', '红岩村', '新华村', '双河村'];
const NAMES =
  '罗先运 何晓燕 唐志强 周建华 吴秀英 郑国强 冯玉兰 陈志明 褚海燕 卫东升 蒋文静 沈建军 韩春梅 杨立新 朱红霞 秦永福 尤淑珍 许国庆 何春生 吕桂芳 施德明 张秀兰 孔庆丰 曹丽华 严有才 华金凤 金大勇 魏小红 陶成林'.split(' ');
const VILLAGERS = '袁志弟 马桂兰 刘大山 王二妹 邓老三 黄菊花 谢长根 宋玉珍 范有福 彭小燕 罗金宝 毛春花'.split(' ');
const TEXTS = ['村口路灯坏了三天了', '自来水停了两天', '低保申请材料不知道怎么交', '邻居占了我家宅基地', '垃圾堆在河边没人清', '村道塌方了车过不去', '合作社收购价格不合理', '村务公开栏很久没更新'];
const CATS = [5, 5, 5, 4, 7, 5, 1, 3];

export interface Person { id: string; name: string; village: number; secretary: boolean }
export const LEADERS = [{ id: 'shuji', name: '王建国' }, { id: 'zhenzhang', name: '陈丽' }, { id: 'fenguan', name: '孙卫国' }];

/** 10 villages; each a resident cadre and two village cadres (the last village one): 29 cadres. */
export function township(): { cadres: Person[]; file: string } {
  const cadres: Person[] = [];
  let n = 0;
  VILLAGES.forEach((_, v) => {
    cadres.push({ id: `r${v}`, name: NAMES[n++], village: v, secretary: false });
    cadres.push({ id: `c${v}a`, name: NAMES[n++], village: v, secretary: true });
    if (v < 9) cadres.push({ id: `c${v}b`, name: NAMES[n++], village: v, secretary: false });
  });
  const org = {
    township: { name: '石桥镇' },
    people: [
      ...LEADERS.map((l) => ({ ...l, roles: ['leader'] })),
      { id: 'office', name: '镇民情处理站', roles: ['township_office'] },
      ...cadres.map((c) => ({ id: c.id, name: c.name, roles: [c.id.startsWith('r') ? 'resident_cadre' : 'village_cadre'] })),
    ],
    villages: VILLAGES.map((name, v) => {
      const own = cadres.filter((c) => c.village === v && !c.id.startsWith('r')).map((c) => c.id);
      return { id: `v${v}`, name, resident: [`r${v}`], cadres: own, secretary: `c${v}a`, duty: { mon: own, tue: own, wed: own, thu: own, fri: own, sat: own, sun: own } };
    }),
  };
  const file = path.join(tempDir('minqing-org-'), 'org.json');
  fs.writeFileSync(file, JSON.stringify(org));
  return { cadres, file };
}

export interface Ev { type: string; at: number; data: Record<string, unknown> }
export interface Req {
  id: number; code: string; status: string; village: string; owner: string | null; category: number | null; text: string;
  reporterName: string; receivedAt: number; acceptedAt: number | null; deadline: number | null; resolvedAt: number | null;
  closedAt: number | null; satisfaction: string | null; closeReason: string | null; mergedInto: number | null; events: Ev[];
}

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const pick = <T>(r: () => number, list: T[]): T => list[Math.floor(r() * list.length)];
/** 17:30 Shanghai on the calendar day `days` after the instant `t`. */
const endOfDay = (t: number, days: number) => Math.floor((t + 8 * HOUR) / DAY) * DAY - 8 * HOUR + days * DAY + 17.5 * HOUR;

/** `count` requests received at minute precision in [start, now), each simulated up to `now`. */
export function simulate(cadres: Person[], start: number, now: number, count = 1322): Req[] {
  const r = rng(20261123);
  const out: Req[] = [];
  const span = Math.floor((now - start) / MIN);
  const times = Array.from({ length: count }, () => start + Math.floor(r() * span) * MIN).sort((a, b) => a - b);
  times.forEach((receivedAt, i) => {
    const v = Math.floor(r() * VILLAGES.length);
    const t = Math.floor(r() * TEXTS.length);
    const req: Req = {
      id: i + 1, code: `SQ${String(i + 1).padStart(5, '0')}`, status: 'pending', village: `v${v}`, owner: null,
      category: r() < 0.05 ? null : CATS[t], text: TEXTS[t], reporterName: pick(r, VILLAGERS), receivedAt, acceptedAt: null,
      deadline: null, resolvedAt: null, closedAt: null, satisfaction: null, closeReason: null, mergedInto: null,
      events: [{ type: 'received', at: receivedAt, data: {} }],
    };
    out.push(req);
    // Each step happens only if its time has come; what has not happened by `now` leaves the state where it is.
    const step = (at: number, fn: () => void) => (at < now ? (fn(), true) : false);
    if (r() < 0.03) return; // nobody took it
    const acceptedAt = receivedAt + pick(r, [5 * MIN, 45 * MIN, 100 * MIN, 3 * HOUR, 14 * HOUR, 26 * HOUR, 3 * DAY]);
    const mine = cadres.filter((c) => c.village === v);
    if (!step(acceptedAt, () => Object.assign(req, { status: 'accepted', owner: pick(r, mine).id, acceptedAt, deadline: endOfDay(acceptedAt, pick(r, [1, 1, 3, 7])) }))) return;
    req.events.push({ type: 'accepted', at: acceptedAt, data: {} });
    if (i > 10 && r() < 0.04) req.mergedInto = out[Math.max(0, i - 1 - Math.floor(r() * 10))].id;
    let t0 = acceptedAt;
    if (r() < 0.06) {
      t0 += 2 * HOUR;
      if (!step(t0, () => (req.status = 'rejection_pending'))) return;
      req.events.push({ type: 'refusal_filed', at: t0, data: {} });
      t0 += DAY;
      const approved = r() < 0.7;
      if (!step(t0, () => (req.status = approved ? 'rejected' : 'accepted'))) return;
      req.events.push({ type: approved ? 'refusal_approved' : 'refusal_denied', at: t0, data: {} });
      if (approved) {
        if (r() < 0.6) return; // the refusal stands
        t0 += DAY;
        if (!step(t0, () => Object.assign(req, { status: 'accepted', deadline: endOfDay(t0, 3) }))) return;
        req.events.push({ type: 'appealed', at: t0, data: {} });
      }
    }
    for (let round = 0; round < 2; round++) {
      t0 += pick(r, [2 * HOUR, 20 * HOUR, 2 * DAY, 5 * DAY, 12 * DAY]);
      if (!step(t0, () => Object.assign(req, { status: 'resolved', resolvedAt: t0 }))) return;
      req.events.push({ type: 'resolved', at: t0, data: {} });
      const fate = r();
      t0 += 20 * HOUR;
      if (fate < 0.6) {
        if (!step(t0, () => Object.assign(req, { status: 'closed', satisfaction: 'satisfied', closedAt: t0, closeReason: 'satisfied' }))) return;
        req.events.push({ type: 'rated', at: t0, data: { value: 'satisfied' } }, { type: 'closed', at: t0, data: { reason: 'satisfied' } });
        return;
      }
      if (fate < 0.75 && round === 0) {
        if (!step(t0, () => Object.assign(req, { status: 'accepted', satisfaction: 'unsatisfied', deadline: endOfDay(t0, 1) }))) return;
        req.events.push({ type: 'rated', at: t0, data: { value: 'unsatisfied' } }, { type: 'reopened', at: t0, data: {} });
        continue;
      }
      t0 += 3 * DAY;
      if (fate < 0.95 && step(t0, () => Object.assign(req, { status: 'closed', closedAt: t0, closeReason: 'no_answer' }))) req.events.push({ type: 'closed', at: t0, data: { reason: 'no_answer' } });
      return;
    }
  });
  return out;
}

/** Diary entries per cadre in [from, to): cadre k writes k % 17 entries, every third a visit, plus one 一次性告知 that does not count. */
export function diaries(cadres: Person[], from: number, to: number): { person: string; kind: string; at: number }[] {
  const out: { person: string; kind: string; at: number }[] = [];
  cadres.forEach((c, k) => {
    const n = k % 17;
    for (let j = 0; j < n; j++) out.push({ person: c.id, kind: j % 3 === 0 ? 'visit' : j % 3 === 1 ? 'free' : 'process', at: from + Math.floor(((j + 0.5) * (to - from)) / Math.max(n, 1)) });
    out.push({ person: c.id, kind: 'notice', at: from + DAY });
    out.push({ person: c.id, kind: 'free', at: to + HOUR }); // the next quarter
  });
  return out;
}
