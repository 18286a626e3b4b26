import type { Db } from '../../src/db/db';

/**
 * A small known 销号台账 over org.example.json's three villages, written straight into the tables, for
 * the report pages' tests. The harness's day is Thursday 2026-11-26 10:00 (Asia/Shanghai).
 *
 *   SQ001 关沟村  李四 owns, 罗先运 handles, 办理中, overdue since 11-18 17:30; 督办单 #1 to 李四 (open, late)
 *   SQ002 关沟村  张三, 已销号 满意, received 11-10
 *   SQ003 白垭村  刘明, 已否定 (approved by 王建国)
 *   SQ004 白垭村  何晓燕 (resident), 办理中, overdue since 11-20 17:30; 督办单 #2 to 何晓燕 (done)
 *   SQ005 财梁村  待受理, received 11-25
 *   SQ006 镇级    赵平, 办理中, due 11-30
 *   SQ007 关沟村  张三, 已销号, received in October
 */
const at = (s: string) => Date.parse(`${s}+08:00`);

export interface Row {
  id: number;
  code: string;
  status: string;
  village_id: string | null;
  owner_id: string | null;
  text: string;
  received_at: number;
  accepted_at?: number | null;
  deadline?: number | null;
  resolved_at?: number | null;
  closed_at?: number | null;
  satisfaction?: string | null;
  result?: string | null;
  refusal?: string | null;
  close_reason?: string | null;
  reporter_name?: string | null;
  reporter_villager_id?: number | null;
  category?: number | null;
}

export const ROWS: Row[] = [
  {
    id: 1,
    code: 'SQ001',
    status: 'accepted',
    village_id: 'guangou',
    owner_id: 'li',
    text: '村口路灯坏了三天了',
    received_at: at('2026-11-17T09:00:00'),
    accepted_at: at('2026-11-17T09:20:00'),
    deadline: at('2026-11-18T17:30:00'),
    category: 5,
  },
  {
    id: 2,
    code: 'SQ002',
    status: 'closed',
    village_id: 'guangou',
    owner_id: 'zhangsan',
    text: '自来水停了两天',
    received_at: at('2026-11-10T08:40:00'),
    accepted_at: at('2026-11-10T09:00:00'),
    deadline: at('2026-11-11T17:30:00'),
    resolved_at: at('2026-11-11T15:00:00'),
    closed_at: at('2026-11-12T10:00:00'),
    satisfaction: 'satisfied',
    result: '已联系水厂抢修，当天恢复供水',
    close_reason: 'satisfied',
    category: 5,
  },
  {
    id: 3,
    code: 'SQ003',
    status: 'rejected',
    village_id: 'baiya',
    owner_id: 'liuming',
    text: '要求给我家再批一块宅基地',
    received_at: at('2026-11-16T10:00:00'),
    accepted_at: at('2026-11-16T10:30:00'),
    deadline: at('2026-11-19T17:30:00'),
    category: 4,
    refusal: JSON.stringify({
      basis: '《土地管理法》第六十二条：农村村民一户只能拥有一处宅基地',
      reason: '该户已有宅基地一处',
      by: 'liuming',
      at: at('2026-11-16T14:00:00'),
      decidedBy: 'wang',
      decision: 'approved',
      comment: '做好解释工作',
    }),
  },
  {
    id: 4,
    code: 'SQ004',
    status: 'accepted',
    village_id: 'baiya',
    owner_id: 'he',
    text: '村道塌方了车过不去',
    received_at: at('2026-11-19T08:00:00'),
    accepted_at: at('2026-11-19T08:45:00'),
    deadline: at('2026-11-20T17:30:00'),
    category: 5,
  },
  { id: 5, code: 'SQ005', status: 'pending', village_id: 'cailiang', owner_id: null, text: '低保申请材料不知道怎么交', received_at: at('2026-11-25T16:00:00'), category: 1 },
  {
    id: 6,
    code: 'SQ006',
    status: 'accepted',
    village_id: null,
    owner_id: 'zhao',
    text: '合作社收购价格不合理',
    received_at: at('2026-11-24T11:00:00'),
    accepted_at: at('2026-11-24T11:30:00'),
    deadline: at('2026-11-30T17:30:00'),
    category: 1,
  },
  {
    id: 7,
    code: 'SQ007',
    status: 'closed',
    village_id: 'guangou',
    owner_id: 'zhangsan',
    text: '垃圾堆在河边没人清',
    received_at: at('2026-10-20T09:00:00'),
    accepted_at: at('2026-10-20T09:30:00'),
    deadline: at('2026-10-21T17:30:00'),
    resolved_at: at('2026-10-21T10:00:00'),
    closed_at: at('2026-10-22T10:00:00'),
    satisfaction: 'satisfied',
    result: '已清运',
    close_reason: 'satisfied',
    category: 7,
  },
];

async function insert(db: Db, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  await db.query(
    `INSERT INTO ${db.quote(table)} (${cols.map((c) => db.quote(c)).join(', ')}) VALUES ${rows.map(() => `(${cols.map(() => '?').join(', ')})`).join(', ')}`,
    rows.flatMap((r) => cols.map((c) => (r[c] === undefined ? null : r[c]))),
  );
}

export async function seedLedger(db: Db, extra: Row[] = []): Promise<{ yuan: number }> {
  const [{ id: yuan }] = await db.query<{ id: number }>("SELECT id FROM villager WHERE name = '袁志弟'");
  const rows = [...ROWS, ...extra].map((r) => ({
    tier: 'general',
    level: r.village_id ? 'village' : 'township',
    channel: 'visit',
    version: 1,
    last_message_at: r.received_at,
    reporter_name: '袁志弟',
    ...r,
    reporter_villager_id: r.id === 1 ? Number(yuan) : (r.reporter_villager_id ?? null),
  }));
  await insert(db, 'request', rows);
  await insert(db, 'request_handler', [{ request_id: 1, person_id: 'luo', added_by: 'li', added_at: at('2026-11-17T10:00:00') }]);
  const ev = (request_id: number, type: string, actor: string, when: string, data: Record<string, unknown> = {}) => ({
    request_id,
    type,
    actor,
    at: at(when),
    channel: 'wecom',
    data: JSON.stringify(data),
  });
  await insert(db, 'request_event', [
    ev(1, 'received', `villager:${yuan}`, '2026-11-17T09:00:00', { text: '村口路灯坏了三天了' }),
    ev(1, 'accepted', 'person:li', '2026-11-17T09:20:00'),
    ev(1, 'forwarded', 'person:li', '2026-11-17T10:00:00', { to: 'luo' }),
    ev(1, 'progress', 'person:li', '2026-11-18T11:00:00', { text: '已联系供电所，等待配件' }),
    ev(1, 'supervision_issued', 'person:wang', '2026-11-23T09:00:00', { supervision: 1, to: 'li', note: '本周内修好路灯' }),
    ev(2, 'accepted', 'person:zhangsan', '2026-11-10T09:00:00'),
    ev(2, 'resolved', 'person:zhangsan', '2026-11-11T15:00:00', { result: '已联系水厂抢修，当天恢复供水' }),
    ev(2, 'rated', 'villager:1', '2026-11-12T10:00:00', { value: 'satisfied' }),
    ev(3, 'refusal_filed', 'person:liuming', '2026-11-16T14:00:00', { basis: '《土地管理法》第六十二条', reason: '该户已有宅基地一处', approvers: ['wang', 'chen'] }),
    ev(3, 'refusal_approved', 'person:wang', '2026-11-17T09:00:00', { comment: '做好解释工作' }),
    ev(4, 'accepted', 'person:he', '2026-11-19T08:45:00'),
  ]);
  await insert(db, 'supervision', [
    {
      id: 1,
      request_id: 1,
      person_id: 'li',
      issued_by: 'wang',
      note: '本周内修好路灯',
      deadline: at('2026-11-24T17:30:00'),
      status: 'open',
      created_at: at('2026-11-23T09:00:00'),
    },
    {
      id: 2,
      request_id: 4,
      person_id: 'he',
      issued_by: 'chen',
      note: '三天内抢通村道',
      deadline: at('2026-11-25T17:30:00'),
      status: 'done',
      result: '已抢通',
      created_at: at('2026-11-23T09:10:00'),
      done_at: at('2026-11-24T16:00:00'),
    },
  ]);
  await insert(db, 'diary_entry', [
    { person_id: 'li', request_id: null, kind: 'free', text: '走村入户了解冬季用水情况', at: at('2026-11-20T16:00:00') },
    { person_id: 'li', request_id: null, kind: 'visit', text: '老人身体尚好，房屋需加固', data: JSON.stringify({ household: '袁志弟家' }), at: at('2026-11-21T10:00:00') },
    { person_id: 'li', request_id: 1, kind: 'process', text: '已联系供电所，等待配件', at: at('2026-11-18T11:00:00') },
    { person_id: 'zhangsan', request_id: null, kind: 'free', text: '张三的日记', at: at('2026-11-20T16:00:00') },
  ]);
  return { yuan: Number(yuan) };
}
