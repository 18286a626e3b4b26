import { recipientKey } from '../../src/db/keys';
import { ConfigError, parseConfig } from '../../src/config';
import { DEFAULT_RETENTION } from '../../src/domain/retention';
import { jobById } from '../../src/jobs';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { Harness, startHarness } from '../helpers/harness';

const DAY = 24 * 3600_000;

/**
 * Retention (docs/interface.md#security-and-retention): the daily `retention` job purges processed
 * deliveries after 30 days (failed ones after 180), the payloads of messages sent after 30 days (the
 * row stays), the sandbox's chats after 30 days, job runs after 180 days (each job's newest stays),
 * and expired callback signatures; `--dry-run` only counts. Settings: RETAIN_*_DAYS.
 */
describe.each(dialects())('jobs: retention (%s)', (dialect) => {
  let h: Harness;
  afterEach(() => h?.close());
  afterAll(dropCreatedDatabases);

  const now = () => h.clock.now().getTime();
  const sql = (q: string, p: unknown[] = []) => h.app.db.write((r) => r.query(q, p));
  const ids = async (table: string) => (await h.app.db.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`)).map((r) => Number(r.id));

  /** One row of each kind, `daysAgo` old. */
  async function seed(daysAgo: number, tag: string) {
    const at = now() - daysAgo * DAY;
    for (const status of ['done', 'ignored', 'failed', 'received']) {
      await sql('INSERT INTO inbound_delivery (dedupe_key, platform, kind, payload, status, attempts, received_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)', [
        `${tag}:${status}`, 'sandbox', 'message', '{"text":"村口路灯坏了"}', status, at, at,
      ]);
    }
    for (const status of ['sent', 'held', 'failed', 'phoned']) {
      await sql('INSERT INTO outbox_message (platform, kind, recipient, recipient_key, payload, status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)', [
        'sandbox', 'text', `v1-${tag}`, recipientKey(`v1-${tag}`), '{"kind":"text","text":"您反映的问题已收到"}', status, at, at,
      ]);
    }
    await sql('INSERT INTO sandbox_message (recipient, direction, kind, payload, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)', ['v1', 'out', 'text', '{"text":"您好"}', at, at]);
    for (const job of ['weekly-digest', 'quarterly-review']) {
      await sql('INSERT INTO job_run (job, slot, status, late, manual, started_at) VALUES (?, ?, ?, 0, 0, ?)', [job, at, 'done', at]);
    }
    await sql('INSERT INTO callback_signature (sig, owner, expires_at) VALUES (?, ?, ?)', [`${tag}`.padEnd(64, '0'), 'o'.padEnd(64, '0'), at + 3600_000]);
  }

  it('has documented defaults, each a whole number of days', () => {
    expect(parseConfig({}).retention).toEqual(DEFAULT_RETENTION);
    expect(DEFAULT_RETENTION).toEqual({ deliveriesDays: 30, failedDeliveriesDays: 180, outboxPayloadDays: 30, sandboxDays: 30, jobRunsDays: 180 });
    expect(parseConfig({ RETAIN_DELIVERIES_DAYS: '7' }).retention.deliveriesDays).toBe(7);
    expect(() => parseConfig({ RETAIN_SANDBOX_DAYS: '0' })).toThrow(ConfigError);
    expect(() => parseConfig({ RETAIN_JOB_RUNS_DAYS: 'forever' })).toThrow(/RETAIN_JOB_RUNS_DAYS/);
    expect(jobById('retention')).toMatchObject({ cron: '30 3 * * *' });
  });

  it('counts on a dry run, then purges only what is past its time', async () => {
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'sandbox' });
    await h.app.settle();
    await sql('DELETE FROM sandbox_message');
    await sql('DELETE FROM job_run');
    await seed(400, 'ancient'); // past every limit
    await seed(100, 'old'); // past 30 days, within 180
    await seed(2, 'recent'); // within every limit
    const before = { d: await ids('inbound_delivery'), o: await ids('outbox_message'), s: await ids('sandbox_message'), j: await ids('job_run'), c: await ids('callback_signature') };

    const dry = await h.app.runJob('retention', { at: h.clock.now(), dryRun: true });
    expect(dry).toMatchObject({ status: 'done', planned: [] });
    expect(dry.summary).toBe(
      'would purge: 4 deliveries done/ignored > 30 d, 1 failed > 180 d; 4 payloads of sent messages > 30 d; 2 sandbox messages > 30 d; 2 job runs > 180 d; 3 expired callback signatures',
    );
    expect({ d: await ids('inbound_delivery'), o: await ids('outbox_message'), s: await ids('sandbox_message'), j: await ids('job_run'), c: await ids('callback_signature') }).toEqual(before);

    const run = await h.app.runJob('retention', { at: h.clock.now() });
    expect(run.summary).toBe(dry.summary.replace('would purge', 'purged'));
    const deliveries = await h.app.db.query<{ dedupe_key: string }>('SELECT dedupe_key FROM inbound_delivery ORDER BY id');
    expect(deliveries.map((r) => r.dedupe_key)).toEqual(['ancient:received', 'old:failed', 'old:received', 'recent:done', 'recent:ignored', 'recent:failed', 'recent:received']);
    // Outbox rows stay (the API lists them); only the payloads of what went out are emptied.
    const outbox = await h.app.db.query<{ recipient: string; status: string; payload: string }>('SELECT recipient, status, payload FROM outbox_message ORDER BY id');
    expect(outbox).toHaveLength(12);
    const purged = outbox.filter((r) => r.payload === '{"purged":true}').map((r) => `${r.recipient}:${r.status}`);
    expect(purged).toEqual(['v1-ancient:sent', 'v1-ancient:phoned', 'v1-old:sent', 'v1-old:phoned']);
    expect(outbox.find((r) => r.recipient === 'v1-ancient' && r.status === 'held')!.payload).toContain('您反映的问题已收到');
    expect(await ids('sandbox_message')).toEqual(before.s.slice(2));
    // Each job keeps its newest run whatever its age; the older ones past 180 days go.
    const runs = await h.app.db.query<{ job: string; started_at: number | string }>("SELECT job, started_at FROM job_run WHERE job <> 'retention' ORDER BY id");
    expect(runs.map((r) => `${r.job}@${Math.round((now() - Number(r.started_at)) / DAY)}`)).toEqual(['weekly-digest@100', 'quarterly-review@100', 'weekly-digest@2', 'quarterly-review@2']);
    // The signature of 2 days ago expired too (an hour after its timestamp); none is left.
    expect(await ids('callback_signature')).toEqual([]);

    // A second run finds nothing more to do.
    expect((await h.app.runJob('retention', { at: new Date(now() + 60_000) })).summary).toBe(
      'purged: 0 deliveries done/ignored > 30 d, 0 failed > 180 d; 0 payloads of sent messages > 30 d; 0 sandbox messages > 30 d; 0 job runs > 180 d; 0 expired callback signatures',
    );
  });
});
