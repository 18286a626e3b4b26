import type { CardContent } from '../../cards/content';
import type { Person } from '../domain/directory';
import { shortZh } from '../domain/time';
import type { Address } from '../platform/types';
import { CardKind, sendCard } from '../operations/shared/cards';
import { AppDeps, inTx, Tx } from '../operations/tx';
import { Job, JobContext, PlannedMessage } from './types';

export interface RunOptions {
  at: Date;
  dryRun?: boolean;
  manual?: boolean;
  late?: boolean;
}

export interface RunResult {
  status: 'done' | 'skipped' | 'failed' | 'taken';
  summary: string;
  planned: PlannedMessage[];
}

type Step =
  | { kind: 'tell'; person: Person; text: string; requestId?: number }
  | { kind: 'address'; address: Address; text: string }
  | { kind: 'image'; person: Person; png: string; caption: string }
  | { kind: 'card'; people: Person[]; requestId: number; cardKind: CardKind; content: CardContent };

/**
 * What a run means to send and write, gathered first and then committed in one transaction (or,
 * in a dry run, printed and dropped).
 */
class Plan {
  readonly steps: Step[] = [];
  readonly writes: ((tx: Tx) => Promise<void>)[] = [];

  constructor(private readonly deps: AppDeps) {}

  lines(): PlannedMessage[] {
    const channel = (p: Person) => this.deps.directory.addressOf(p)?.platform ?? 'none';
    return this.steps.flatMap((s): PlannedMessage[] => {
      switch (s.kind) {
        case 'tell':
          return [{ to: s.person.id, channel: channel(s.person), text: s.text }];
        case 'address':
          return [{ to: s.address.userId, channel: s.address.platform, text: s.text }];
        case 'image':
          return [{ to: s.person.id, channel: channel(s.person), image: { bytes: Math.floor((s.png.length * 3) / 4), caption: s.caption } }];
        case 'card':
          return s.people.map((p) => ({ to: p.id, channel: channel(p), card: s.content }));
      }
    });
  }

  async commit(): Promise<void> {
    if (!this.steps.length && !this.writes.length) return;
    await inTx(this.deps, this.deps.log, async (tx) => {
        for (const w of this.writes) await w(tx);
        for (const s of this.steps) {
          if (s.kind === 'tell') await tx.tell(s.person, s.text, s.requestId);
          else if (s.kind === 'address') await tx.send(s.address, { kind: 'text', text: s.text });
          else if (s.kind === 'image') {
            const a = this.deps.directory.addressOf(s.person);
            if (a) await tx.send(a, { kind: 'image', pngBase64: s.png, caption: s.caption }, { personId: s.person.id });
            else tx.log.warn({ personId: s.person.id }, 'image not sent: person has no id on any enabled platform');
          } else await sendCard(tx, s.requestId, s.cardKind, s.content, s.people);
        }
    });
  }
}

/**
 * Runs one job for one slot. A scheduled run first takes the lease — a unique (job, slot) row —
 * so with two instances on one database each slot runs exactly once. A failure is logged and
 * recorded; the job runs again at its next slot. A dry run takes no lease and writes nothing.
 */
export async function runJob(deps: AppDeps, job: Job, o: RunOptions): Promise<RunResult> {
  const log = deps.log.child({ job: job.id, slot: o.at.toISOString(), late: Boolean(o.late) });
  const startedAt = deps.clock.now().getTime();
  let runId: number | null = null;
  if (!o.dryRun) {
    const slot = o.manual ? startedAt : o.at.getTime();
    const row = { job: job.id, slot, status: 'running', late: o.late ? 1 : 0, manual: o.manual ? 1 : 0, started_at: startedAt };
    if (!(await deps.db.insertUnique('job_run', row))) {
      log.info('slot already taken by another run; skipping');
      return { status: 'taken', summary: 'slot already taken', planned: [] };
    }
    runId = (await deps.db.read.jobRuns.bySlot(job.id, slot))!.id;
  }
  const finish = async (status: string, summary: string, error: string | null = null) => {
    if (runId === null) return;
    await deps.db.write((r) => r.jobRuns.finish(runId, { status, summary, error, finishedAt: deps.clock.now().getTime() }));
  };

  const noOrg = job.needsOrg !== false && deps.directory.activePeople().length === 0;
  const day = noOrg ? { run: false as const, why: 'no org directory loaded (ORG_FILE): nobody to tell' } : job.day(deps.calendar, o.at);
  if (!day.run) {
    if (noOrg) log.warn({ why: day.why }, 'job skipped');
    else log.info({ why: day.why }, 'job skipped');
    await finish('skipped', day.why);
    return { status: 'skipped', summary: day.why, planned: [] };
  }
  const plan = new Plan(deps);
  const latePrefix = o.late ? `（服务器恢复后补发，原定 ${shortZh(o.at)}）` : '';
  const ctx: JobContext = {
    deps,
    at: o.at,
    dryRun: Boolean(o.dryRun),
    late: Boolean(o.late),
    log,
    tell: (person, text, requestId) => plan.steps.push({ kind: 'tell', person, text: latePrefix + text, requestId }),
    tellAddress: (address, text) => plan.steps.push({ kind: 'address', address, text: latePrefix + text }),
    image: (person, png, caption) => plan.steps.push({ kind: 'image', person, png, caption }),
    card: (people, requestId, cardKind, content) => plan.steps.push({ kind: 'card', people, requestId, cardKind, content }),
    write: (fn) => plan.writes.push(fn),
  };
  try {
    const summary = await job.run(ctx);
    if (!o.dryRun) await plan.commit();
    log.info({ summary, messages: plan.steps.length }, o.late ? 'job ran late for a missed slot' : 'job ran');
    await finish('done', o.late ? `late run for a missed slot: ${summary}` : summary);
    return { status: 'done', summary, planned: plan.lines() };
  } catch (e) {
    log.error({ err: e }, 'job failed; it runs again at its next slot');
    await finish('failed', 'failed', (e as Error).stack ?? String(e));
    return { status: 'failed', summary: (e as Error).message, planned: [] };
  }
}

/** When the scheduler first ran on this database: slots before that were never "missed". */
export async function schedulerSince(deps: AppDeps): Promise<number> {
  const since = await deps.db.read.kv.get('jobs.since');
  if (since) return Number(since);
  const now = deps.clock.now().getTime();
  await deps.db.write((r) => r.kv.set('jobs.since', String(now), now));
  return now;
}
