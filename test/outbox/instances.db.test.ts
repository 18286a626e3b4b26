import { FixedClock } from '../../src/clock';
import { Db } from '../../src/db/db';
import { createDataSource, openDatabase } from '../../src/db/data-source';
import { OutboxRow } from '../../src/db/entities';
import { recipientKey } from '../../src/db/keys';
import { memoryLogger } from '../../src/log';
import { enqueue } from '../../src/outbox/outbox';
import { HOLD_ATTEMPTS, OutboxWorker, OutboxWorkerOptions } from '../../src/outbox/worker';
import { Platforms } from '../../src/platform/registry';
import type { AdapterContext, Address, OutboundMessage, PlatformAdapter, PlatformName, SendOutcome } from '../../src/platform/types';
import { MIGRATIONS } from '../../migrations';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';

/**
 * The outbox as several instances share it (docs/interface.md#instances, #outbox): two workers on two
 * connections to one database, a fake platform that records what reached it and when (on the fixed
 * clock), and the MySQL limits SQLite hides (100 KB payloads, recipients of any length).
 */
const T0 = '2026-11-26T10:00:00+08:00';

/** A platform that records each send with the clock's time; `answer` decides each outcome. */
class FakePlatform implements PlatformAdapter {
  readonly realms: PlatformAdapter['realms'];
  readonly sent: { at: number; msg: OutboundMessage }[] = [];
  readonly calls: OutboundMessage[] = [];
  answer: (m: OutboundMessage, n: number) => Promise<SendOutcome> | SendOutcome = () => ({ ok: true });

  constructor(
    readonly name: PlatformName,
    private readonly clock: FixedClock,
    readonly limits?: { perMinute: number; perHour: number },
  ) {
    this.realms = [{ name, admitsStrangers: false }] as PlatformAdapter['realms'];
  }

  realmOf(): string {
    return this.name;
  }
  address(_realm: string, userId: string): Address {
    return { platform: this.name, channel: 'app', userId };
  }
  reach(a: Address) {
    return { cards: true, batch: true, realm: a.platform, source: a.platform };
  }
  async send(m: OutboundMessage): Promise<SendOutcome> {
    this.calls.push(m);
    const o = await this.answer(m, this.calls.length);
    if (o.ok) this.sent.push({ at: this.clock.now().getTime(), msg: m });
    return o;
  }
}

describe.each(dialects())('outbox on several instances (%s)', (dialect) => {
  let url: string;
  const dbs: Db[] = [];
  const clock = new FixedClock(T0);
  const now = () => clock.now().getTime();

  async function instance(adapters: PlatformAdapter[], opts: Partial<OutboxWorkerOptions> = {}) {
    const db = new Db(await openDatabase(url), url);
    dbs.push(db);
    const platforms = new Platforms(new Map(adapters.map((a) => [a.name, a])));
    const { log, lines } = memoryLogger('debug');
    const ctx = () => ({}) as AdapterContext;
    const worker = new OutboxWorker(db, platforms, clock, log, ctx, { backoffMs: [5_000, 30_000, 120_000, 600_000], ...opts });
    return { db, platforms, worker, lines };
  }

  const put = (i: { db: Db; platforms: Platforms }, platform: PlatformName, to: string | string[], text: string) =>
    i.db.tx((r) => enqueue(r, i.platforms, { to: (Array.isArray(to) ? to : [to]).map((userId) => ({ platform, channel: 'app' as const, userId })), payload: { kind: 'text', text } }, now()));

  const rows = (db: Db) => db.ds.getRepository(OutboxRow).find({ order: { id: 'ASC' } });

  beforeEach(async () => {
    clock.set(T0);
    url = await freshDatabaseUrl(dialect);
  });
  afterEach(async () => {
    for (const db of dbs.splice(0)) await db.close();
  });
  afterAll(dropCreatedDatabases);

  it('keeps a 100 KB payload and a recipient of 11 long ids whole (MySQL in STRICT mode), ordered by its sha256 key', async () => {
    const fake = new FakePlatform('dingtalk', clock);
    const i = await instance([fake]);
    if (dialect === 'mysql') {
      const [{ mode }] = await i.db.query<{ mode: string }>('SELECT @@SESSION.sql_mode AS mode');
      expect(mode).toMatch(/STRICT_TRANS_TABLES/);
    }
    const ids = Array.from({ length: 11 }, (_, n) => `${String(n).padStart(2, '0')}${'x'.repeat(62)}`);
    const png = Buffer.alloc(75_000, 7).toString('base64'); // 100 000 characters of base64
    expect(png.length).toBe(100_000);
    await i.db.tx((r) => enqueue(r, i.platforms, { to: ids.map((userId) => ({ platform: 'dingtalk', channel: 'app', userId })), payload: { kind: 'image', pngBase64: png } }, now()));
    const [row] = await rows(i.db);
    expect(row.recipient).toBe(ids.join('|'));
    expect(row.recipient.length).toBe(11 * 64 + 10);
    expect(row.recipientKey).toBe(recipientKey(ids.join('|')));
    expect((row.payload as { pngBase64: string }).pngBase64).toBe(png);
    await i.worker.drain();
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0].msg.to).toEqual(ids);
    expect((fake.sent[0].msg.payload as { pngBase64: string }).pngBase64).toBe(png);
    // A result as large comes back whole too.
    await i.db.query('UPDATE outbox_message SET result = ? WHERE id = ?', [JSON.stringify({ echo: png }), row.id]);
    expect((await rows(i.db))[0].result).toEqual({ echo: png });
  });

  it('gives rows written before the migration their recipient_key (backfill)', async () => {
    const before = createDataSource(url);
    before.setOptions({ migrations: MIGRATIONS.slice(0, MIGRATIONS.findIndex((m) => m.name === 'Scale1765180800000')) });
    await before.initialize();
    await before.runMigrations({ transaction: 'each' });
    await before.query(
      "INSERT INTO outbox_message (platform, kind, recipient, payload, status, attempts, next_attempt_at, created_at) VALUES ('wecom', 'text', 'LiSi|ZhaoPing', '{}', 'pending', 0, 1, 1)",
    );
    await before.destroy();
    const db = new Db(await openDatabase(url), url);
    dbs.push(db);
    const [row] = await rows(db);
    expect(row.recipientKey).toBe(recipientKey('LiSi|ZhaoPing'));
  });

  it('paces one member for both instances together: 100 messages, at most 30 reach them in any 60 s', async () => {
    const limits = { perMinute: 30, perHour: 1000 };
    const a = new FakePlatform('wecom', clock, limits);
    const b = new FakePlatform('wecom', clock, limits);
    const one = await instance([a]);
    const two = await instance([b]);
    for (let n = 0; n < 100; n++) await put(n % 2 ? one : two, 'wecom', 'LiSi', `第${n + 1}条`);
    // Four fake minutes, two seconds at a time; the instances take turns (one row each, as their polls
    // interleave), and then both work at once.
    for (let s = 0; s < 120; s++) {
      for (let round = 0; round < 200; round++) {
        const n = (await one.worker.runOnce()) + (await two.worker.runOnce());
        if (!n) break;
      }
      await Promise.all([one.worker.drain(), two.worker.drain()]);
      clock.advance(2_000);
    }
    const times = [...a.sent, ...b.sent].map((x) => x.at).sort((x, y) => x - y);
    expect(a.sent.length).toBeGreaterThan(0);
    expect(b.sent.length).toBeGreaterThan(0);
    const worst = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 60_000).length));
    expect(worst).toBeLessThanOrEqual(30);
    expect(worst).toBe(30);
    expect(times).toHaveLength(100);
    // In order, each once.
    const texts = [...a.sent, ...b.sent].sort((x, y) => x.msg.id - y.msg.id).map((x) => (x.msg.payload as { text: string }).text);
    expect(texts).toEqual(Array.from({ length: 100 }, (_, n) => `第${n + 1}条`));
    expect((await rows(one.db)).every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('aborts a send that hangs past the timeout, retries it later, and it reaches the member once', async () => {
    const fake = new FakePlatform('wecom', clock);
    const signals: AbortSignal[] = [];
    fake.answer = (m, n) => {
      signals.push(m.signal!);
      if (n > 1) return { ok: true };
      // Hangs until the outbox gives up; then, as a real adapter's fetch would, it fails.
      return new Promise((_, reject) => m.signal!.addEventListener('abort', () => reject(m.signal!.reason as Error)));
    };
    const i = await instance([fake], { sendTimeoutMs: 50 });
    await put(i, 'wecom', 'YuanZhiDi', '您的诉求已受理');
    await i.worker.drain();
    expect(signals[0].aborted).toBe(true);
    expect((await rows(i.db))[0]).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: now() + 5_000, lastError: expect.stringMatching(/timed out/) });
    expect(fake.sent).toHaveLength(0);
    clock.advance(5_000);
    await i.worker.drain();
    expect(fake.sent).toHaveLength(1);
    expect(signals[1].aborted).toBe(false);
    expect((await rows(i.db))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('waits for the send timeout and lease it is given: 40 s by default, the lease well beyond it', async () => {
    const i = await instance([new FakePlatform('wecom', clock)]);
    expect(i.worker.worker.opts).toMatchObject({ lockMs: expect.any(Number) });
    const { DEFAULT_OUTBOX_OPTIONS } = await import('../../src/outbox/worker');
    expect(DEFAULT_OUTBOX_OPTIONS.sendTimeoutMs).toBe(40_000);
    expect(DEFAULT_OUTBOX_OPTIONS.lockMs).toBeGreaterThanOrEqual(3 * DEFAULT_OUTBOX_OPTIONS.sendTimeoutMs);
  });

  it('leaves rows for a platform that is not configured pending and untouched, and says how many wait', async () => {
    const wecom = new FakePlatform('wecom', clock);
    const writer = await instance([wecom, new FakePlatform('dingtalk', clock)]);
    await put(writer, 'dingtalk', 'manager4521', '钉钉上的消息');
    await put(writer, 'wecom', 'LiSi', '企业微信上的消息');
    const onlyWecom = await instance([wecom]);
    for (let n = 0; n < 5; n++) {
      await onlyWecom.worker.drain();
      clock.advance(3600_000);
    }
    const [ding, wx] = await rows(onlyWecom.db);
    expect(ding).toMatchObject({ platform: 'dingtalk', status: 'pending', attempts: 0, lastError: null });
    expect(wx).toMatchObject({ status: 'sent' });
    expect(await onlyWecom.worker.unconfigured()).toEqual({ dingtalk: 1 });
    expect(onlyWecom.lines().filter((l) => Number(l.level) >= 40)).toEqual([]);
  });

  it(`stops holding later messages to a member behind one that keeps failing after ${HOLD_ATTEMPTS} attempts`, async () => {
    const fake = new FakePlatform('wecom', clock);
    fake.answer = (m) => ((m.payload as { text: string }).text === '坏的' ? { ok: false, retryable: true, error: 'errcode -1' } : { ok: true });
    const i = await instance([fake]);
    await put(i, 'wecom', 'YuanZhiDi', '坏的');
    await put(i, 'wecom', 'YuanZhiDi', '第二条');
    await put(i, 'wecom', 'YuanZhiDi', '第三条');
    await i.worker.drain();
    expect(fake.sent).toHaveLength(0); // held behind the first, which will be retried in 5 s
    clock.advance(5_000);
    await i.worker.drain();
    // The first failed twice; the others go now, not after its whole backoff (30 s, 2 min, 10 min…).
    expect(fake.sent.map((x) => (x.msg.payload as { text: string }).text)).toEqual(['第二条', '第三条']);
    expect(fake.sent.every((x) => x.at === now())).toBe(true);
    const [bad] = await rows(i.db);
    expect(bad).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: now() + 30_000 });
  });
});
