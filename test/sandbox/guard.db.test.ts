import type { AddressInfo } from 'node:net';
import { ConfigError, parseConfig } from '../../src/config';
import { memoryLogger } from '../../src/log';
import { createApp } from '../../src/main';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { Harness, startHarness } from '../helpers/harness';

/**
 * The sandbox has no login (docs/interface.md#security-and-retention): it listens on 127.0.0.1
 * unless SANDBOX_PUBLIC=1, and its POSTs take only application/json from its own page — another
 * page cannot make a visitor's browser send messages or taps (CSRF).
 */
describe.each(dialects())('sandbox: loopback and same-origin JSON only (%s)', (dialect) => {
  let h: Harness;
  afterEach(() => h?.close());
  afterAll(dropCreatedDatabases);

  const stored = async () => Number((await h.app.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM inbound_delivery'))[0].n);
  const send = (headers: Record<string, string>, body = JSON.stringify({ as: 'v1', text: '村口路灯坏了' })) =>
    h.fetch('/sandbox/api/send', { method: 'POST', headers, body });

  it('SANDBOX_PUBLIC is 0 or 1', () => {
    expect(parseConfig({}).sandboxPublic).toBe(false);
    expect(parseConfig({ SANDBOX_PUBLIC: '1' }).sandboxPublic).toBe(true);
    expect(() => parseConfig({ SANDBOX_PUBLIC: 'yes' })).toThrow(ConfigError);
    expect(() => parseConfig({ SANDBOX_PUBLIC: 'yes' })).toThrow(/SANDBOX_PUBLIC: must be 0 or 1/);
  });

  it('listens on 127.0.0.1 only, unless SANDBOX_PUBLIC=1', async () => {
    for (const [env, want] of [[{}, ['127.0.0.1']], [{ SANDBOX_PUBLIC: '1' }, ['::', '0.0.0.0']]] as const) {
      const app = await createApp(parseConfig({ DATABASE_URL: await freshDatabaseUrl(dialect), PORT: '0', ...env }), { log: memoryLogger().log, startWorkers: false });
      try {
        const server = await app.listen(0);
        expect(want).toContain((server.address() as AddressInfo).address);
      } finally {
        await app.close();
      }
    }
  });

  it('refuses text/plain, a form, and another page\'s origin; takes its own page and plain clients', async () => {
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'sandbox' });
    const evil = 'http://evil.example';
    const refused: [Record<string, string>, number][] = [
      [{ 'content-type': 'text/plain' }, 415],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 415],
      [{ 'content-type': 'multipart/form-data; boundary=x' }, 415],
      [{}, 415],
      [{ 'content-type': 'application/json', origin: evil }, 403],
      [{ 'content-type': 'application/json', origin: 'null' }, 403],
      [{ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' }, 403],
      [{ 'content-type': 'application/json', 'sec-fetch-site': 'same-site' }, 403],
    ];
    for (const [headers, status] of refused) {
      const res = await send(headers);
      expect({ headers, status: res.status }).toEqual({ headers, status });
    }
    for (const path of ['tap', 'villagers', 'unread']) {
      expect((await h.fetch(`/sandbox/api/${path}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    }
    expect(await stored()).toBe(0);
    expect(h.logs().filter((l) => l.msg === 'sandbox request rejected')).toHaveLength(refused.length + 3);

    // The page itself (same origin, as a browser sends it) and a client that is not a browser.
    expect((await send({ 'content-type': 'application/json; charset=utf-8', origin: h.base, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await send({ 'content-type': 'application/json' }, JSON.stringify({ as: 'v1', text: '自来水停了', clientId: 'c2' }))).status).toBe(200);
    expect(await stored()).toBe(2);
  });
});
