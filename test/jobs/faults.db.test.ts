import fs from 'node:fs';
import path from 'node:path';
import { dialects, dropCreatedDatabases, freshDatabaseUrl } from '../helpers/db';
import { Harness, startHarness } from '../helpers/harness';
import { tempDir } from '../helpers/tmp';

/** "bad input and faults": a job with no org loaded, a leader with no platform id. */
describe.each(dialects())('jobs when the org is thin (%s)', (dialect) => {
  let h: Harness;
  afterEach(() => h?.close());
  afterAll(dropCreatedDatabases);

  it('skips with a reason when no org is loaded, sends nothing, fails nothing', async () => {
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'sandbox', overrides: { importOrgFile: false } });
    for (const [job, at] of [['service-day', '2026-12-01T08:00:00+08:00'], ['joint-meeting', '2026-11-30T08:00:00+08:00'], ['deadline-watch', '2026-11-30T10:00:00+08:00'], ['diary-reminder', '2026-11-27T16:00:00+08:00']] as const) {
      const r = await h.app.runJob(job, { at: new Date(at) });
      expect(r).toMatchObject({ status: 'skipped', summary: 'no org directory loaded (ORG_FILE): nobody to tell' });
    }
    expect(h.logs().filter((l) => l.msg === 'job skipped' && l.level === 40)).toHaveLength(4);
    expect((await h.app.runJob('satisfaction-timeout', { at: new Date('2026-11-30T09:00:00+08:00') })).status).toBe('done');
    const [{ n }] = await h.app.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM outbox_message');
    expect(Number(n)).toBe(0);
  });

  it('logs a leader with no platform id and goes on with the others', async () => {
    const org = JSON.parse(fs.readFileSync('org.example.json', 'utf8'));
    delete org.people.find((p: { id: string }) => p.id === 'chen').wecom;
    const file = path.join(tempDir('mq-org-'), 'org.json');
    fs.writeFileSync(file, JSON.stringify(org));
    h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'wecom', env: { ORG_FILE: file } });
    const r = await h.app.runJob('service-day-eve', { at: new Date('2026-10-05T17:00:00+08:00') });
    expect(r.status).toBe('done');
    const rows = await h.app.db.query<{ recipient: string }>('SELECT recipient FROM outbox_message');
    expect(rows.map((x) => x.recipient)).toEqual(['WangJianGuo']);
    expect(h.logs().filter((l) => l.msg === 'person has no id on any enabled platform; message not queued' && l.personId === 'chen')).toHaveLength(1);
  });
});
