import { Db, isRetryableTxError, TX_RETRIES } from '../src/db/db';
import { openDatabase } from '../src/db/data-source';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from './helpers/db';
import { ADMIN, Harness, startHarness } from './helpers/harness';
import { json } from './helpers/json';

/**
 * `Db.tx` on MySQL: a deadlock (1213) or lock wait timeout (1205) reruns the whole transaction a few
 * times before it is thrown, and the commit hooks run once. The day's first requests (`nextCode`'s
 * UPDATE-then-INSERT) are where InnoDB deadlocks in practice.
 */
const deadlock = () => Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), { driverError: { errno: 1213, code: 'ER_LOCK_DEADLOCK' } });

describe.each(dialects())('transactions that deadlock (%s)', (dialect) => {
  let db: Db;
  beforeEach(async () => {
    const url = await freshDatabaseUrl(dialect);
    db = new Db(await openDatabase(url), url);
  });
  afterEach(() => db.close());
  afterAll(dropCreatedDatabases);

  it('reruns the whole transaction on 1213 / 1205: its first writes rolled back, the hooks run once', async () => {
    let commits = 0;
    db.onCommit(() => commits++);
    let runs = 0;
    const result = await db.tx(async (r) => {
      runs++;
      await r.kv.set(`run.${runs}`, 'x', 1);
      if (runs === 1) throw deadlock();
      if (runs === 2) throw Object.assign(new Error('Lock wait timeout exceeded'), { errno: 1205 });
      return 'done';
    });
    expect(result).toBe('done');
    expect(runs).toBe(3);
    expect(commits).toBe(1);
    expect(db.retried).toBe(2);
    expect(await db.read.kv.get('run.1')).toBeNull();
    expect(await db.read.kv.get('run.2')).toBeNull();
    expect(await db.read.kv.get('run.3')).toBe('x');
  });

  it(`gives up after ${TX_RETRIES} reruns and throws the error; other errors are thrown at once`, async () => {
    let commits = 0;
    db.onCommit(() => commits++);
    let runs = 0;
    await expect(
      db.tx(async () => {
        runs++;
        throw deadlock();
      }),
    ).rejects.toThrow(/Deadlock/);
    expect(runs).toBe(TX_RETRIES + 1);
    runs = 0;
    await expect(
      db.tx(async () => {
        runs++;
        throw Object.assign(new Error('Duplicate entry'), { errno: 1062 });
      }),
    ).rejects.toThrow(/Duplicate/);
    expect(runs).toBe(1);
    expect(commits).toBe(0);
  });

  it('knows the errors worth a rerun', () => {
    expect(isRetryableTxError(deadlock())).toBe(true);
    expect(isRetryableTxError({ code: 'ER_LOCK_WAIT_TIMEOUT' })).toBe(true);
    expect(isRetryableTxError({ driverError: { errno: 1062 } })).toBe(false);
    expect(isRetryableTxError(new Error('x'))).toBe(false);
  });
});

describe.each(dialects())('the day’s first requests, 20 at once (%s)', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'wecom', at: '2026-11-26T10:00:00+08:00' });
  });
  afterEach(() => h.close());
  afterAll(dropCreatedDatabases);

  it('answers every POST /api/v1/requests with 201 and a code of its own, on each of four first days', async () => {
    const post = (day: string, n: number) =>
      h.fetch('/api/v1/requests', {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ village: 'guangou', text: `来电反映第${n + 1}件事`, channel: 'phone', receivedAt: `${day}T09:00:00+08:00`, reporterName: '王大爷', takenBy: 'zhangsan' }),
      });
    for (const day of ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26']) {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => post(day, n)));
      expect(answers.map((r) => r.status)).toEqual(Array(20).fill(201));
      const codes = (await Promise.all(answers.map((r) => json(r)))).map((r) => r.code as string);
      expect(new Set(codes).size).toBe(20);
      expect(codes.every((c) => c.startsWith(`${day.replace(/-/g, '')}-0`))).toBe(true);
    }
  });
});
