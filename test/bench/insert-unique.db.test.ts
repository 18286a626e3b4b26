import { Db } from '../../src/db/db';
import { openDatabase } from '../../src/db/data-source';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';

/**
 * Db.insertUnique, which the WeCom ack path waits for. On SQLite the inserts of one event-loop turn
 * share a transaction (found by `npm run bench`: one WAL commit per ack was its largest cost); each
 * caller must still get its own answer, exactly as with one INSERT each.
 */
describe.each(dialects())('Db.insertUnique (%s)', (dialect) => {
  let db: Db;
  const row = (key: string, extra: Record<string, unknown> = {}) => ({
    dedupe_key: key,
    platform: 'wecom',
    kind: 'message',
    payload: '{}',
    status: 'received',
    attempts: 0,
    received_at: 1,
    next_attempt_at: 1,
    ...extra,
  });
  const keys = async () =>
    (await db.query<{ dedupe_key: string }>('SELECT dedupe_key FROM inbound_delivery ORDER BY id')).map((r) => r.dedupe_key);

  beforeEach(async () => {
    const url = await freshDatabaseUrl(dialect);
    db = new Db(await openDatabase(url), url);
  });
  afterEach(() => db.close());
  afterAll(dropCreatedDatabases);

  it('answers each of many concurrent inserts on its own: written, or a duplicate key', async () => {
    const keysTried = ['a', 'b', 'a', 'c', 'b', 'd'];
    const got = await Promise.all(keysTried.map((k) => db.insertUnique('inbound_delivery', row(k))));
    // Exactly one of the copies of each key is written; which one is up to the database (MySQL's pool races).
    const written = (k: string) => keysTried.filter((x, i) => x === k && got[i]).length;
    expect(['a', 'b', 'c', 'd'].map(written)).toEqual([1, 1, 1, 1]);
    expect(got.filter(Boolean)).toHaveLength(4);
    expect((await keys()).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(await db.insertUnique('inbound_delivery', row('a'))).toBe(false);
    expect(await db.insertUnique('inbound_delivery', row('e'))).toBe(true);
  });

  it('fails only the row that is wrong, and keeps the others', async () => {
    const got = await Promise.allSettled([
      db.insertUnique('inbound_delivery', row('a')),
      db.insertUnique('inbound_delivery', row('bad', { payload: null })),
      db.insertUnique('inbound_delivery', row('a')),
      db.insertUnique('inbound_delivery', row('b')),
    ]);
    expect(got.map((r) => (r.status === 'fulfilled' ? r.value : 'error'))).toEqual([true, 'error', false, true]);
    expect(await keys()).toEqual(['a', 'b']);
  });

  it('is not swept into another task\'s open transaction', async () => {
    let inserted!: Promise<boolean>;
    await expect(
      db.tx(async (r) => {
        await r.query("INSERT INTO inbound_delivery (dedupe_key, platform, kind, payload, status, attempts, received_at, next_attempt_at) VALUES ('in-tx', 'wecom', 'message', '{}', 'received', 0, 1, 1)");
        inserted = db.insertUnique('inbound_delivery', row('outside'));
        await new Promise((r) => setTimeout(r, 20));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await inserted).toBe(true);
    expect(await keys()).toEqual(['outside']);
  });
});
