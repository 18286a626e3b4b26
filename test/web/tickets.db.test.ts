import { openDatabase } from '../../src/db/data-source';
import { Db } from '../../src/db/db';
import { memoryLogger } from '../../src/log';
import { sessionSecret } from '../../src/web/secret';
import { DbTickets } from '../../src/web/tickets';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';

/**
 * Shared in the database (docs/interface.md#pages): a platform ticket is fetched once per lifetime
 * however many instances ask at once, and the session secret is generated once for all of them.
 */
describe.each(dialects())('tickets and the session secret (%s)', (dialect) => {
  let url: string;
  let dbs: Db[];
  beforeEach(async () => {
    url = await freshDatabaseUrl(dialect);
    // Two instances: two connections (pools) to one database.
    dbs = [new Db(await openDatabase(url), url), new Db(await openDatabase(url, { migrate: false }), url)];
  });
  afterEach(async () => {
    for (const d of dbs) await d.close();
  });
  afterAll(dropCreatedDatabases);

  it('fetches a ticket once for many concurrent askers on two instances, again only when it runs out', async () => {
    let t = Date.parse('2026-11-26T10:00:00+08:00');
    const { log } = memoryLogger('silent');
    let fetched = 0;
    const fetch = async () => {
      fetched++;
      await new Promise((r) => setTimeout(r, 30));
      return { value: `ticket-${fetched}`, ttlMs: 7200_000 };
    };
    const instances = dbs.map((db) => new DbTickets(db, log, { now: () => t, wait: () => new Promise((r) => setTimeout(r, 5)) }));
    const got = await Promise.all(Array.from({ length: 12 }, (_, i) => instances[i % 2].get('wecom.jsapi', fetch)));
    expect(new Set(got)).toEqual(new Set(['ticket-1']));
    expect(fetched).toBe(1);
    t += 3600_000;
    expect(await instances[1].get('wecom.jsapi', fetch)).toBe('ticket-1');
    t += 3600_000; // within 5 minutes of the end: a new one
    expect(await Promise.all([instances[0].get('wecom.jsapi', fetch), instances[1].get('wecom.jsapi', fetch)])).toEqual(['ticket-2', 'ticket-2']);
    expect(fetched).toBe(2);
  });

  it('lets another instance try at once when a fetch failed', async () => {
    const { log } = memoryLogger('silent');
    const at = () => Date.parse('2026-11-26T10:00:00+08:00');
    const [a, b] = dbs.map((db) => new DbTickets(db, log, { now: at, wait: () => Promise.resolve() }));
    await expect(a.get('k', () => Promise.reject(new Error('platform down')))).rejects.toThrow('platform down');
    expect(await b.get('k', () => Promise.resolve({ value: 'v', ttlMs: 7200_000 }))).toBe('v');
  });

  it('generates the session secret once, the same for every instance, unless one is configured', async () => {
    const at = Date.parse('2026-11-26T10:00:00+08:00');
    const [x, y] = await Promise.all(dbs.map((db) => sessionSecret(db, undefined, at)));
    expect(x).toBe(y);
    expect(x.length).toBeGreaterThanOrEqual(40);
    expect(await sessionSecret(dbs[1], undefined, at + 1)).toBe(x);
    expect(await sessionSecret(dbs[0], 'configured-secret-123', at)).toBe('configured-secret-123');
  });
});
