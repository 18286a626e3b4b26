import { FixedClock, systemClock } from '../clock';
import { loadConfig } from '../config';
import { isoShanghai, parseInstant } from '../domain/time';
import { JOBS } from '../jobs';
import { createLogger } from '../log';
import { createApp } from '../main';

type Usage = new (m: string) => Error;
type Flags = (args: string[], allowed: string[]) => Record<string, string>;

/**
 * `jobs list` and `jobs run JOB [--at ISO] [--dry-run]` (docs/interface.md#commands). A dry run prints one JSON
 * object a line — {"to","channel","text"|"card"|"image"} — and sends and writes nothing.
 */
export async function jobsCommand(args: string[], out: (s: string) => void, UsageError: Usage, flags: Flags): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'list' && sub !== 'run') throw new UsageError('用法 / usage: minqing jobs list | minqing jobs run JOB [--at ISO] [--dry-run]');
  let jobId = '';
  let at: Date | null = null;
  let dryRun = false;
  if (sub === 'run') {
    jobId = rest[0] ?? '';
    if (!JOBS.some((j) => j.id === jobId)) throw new UsageError(`未知任务 / unknown job: ${jobId || '(none)'} (jobs: ${JOBS.map((j) => j.id).join(', ')})`);
    const f = flags(rest.slice(1), ['at', 'dry-run', 'dry-run!']);
    if (f.at) {
      at = parseInstant(f.at);
      if (!at) throw new UsageError(`--at 不是有效时间 / --at is not an ISO-8601 date or time: ${f.at}`);
    }
    dryRun = f['dry-run'] === 'true';
  } else if (rest.length) throw new UsageError('用法 / usage: minqing jobs list');

  const config = loadConfig();
  // Logs go to stderr so that stdout carries only what the command prints.
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn', { write: (s: string) => void process.stderr.write(s) });
  const clock = at ? new FixedClock(at) : systemClock;
  const app = await createApp(config, { log, clock, startWorkers: false });
  try {
    if (sub === 'list') {
      for (const j of await app.listJobs()) {
        const last = j.lastRun ? `${isoShanghai(new Date(j.lastRun.at))} ${j.lastRun.status}` : '—';
        out(`${j.id.padEnd(22)} ${j.cron.padEnd(16)} last: ${last.padEnd(34)} next: ${j.nextRun ? isoShanghai(j.nextRun) : '—'}`);
      }
      return 0;
    }
    const result = await app.runJob(jobId, { at: clock.now(), dryRun, manual: true });
    if (dryRun) {
      for (const line of result.planned) out(JSON.stringify(line));
      // What it would do besides sending (e.g. the retention job's counts): stderr, so stdout stays one message a line.
      process.stderr.write(`${jobId} (dry run): ${result.status} — ${result.summary}\n`);
    }
    else {
      await app.outbox.drain();
      out(`${jobId}: ${result.status} — ${result.summary}`);
    }
    return result.status === 'failed' ? 1 : 0;
  } finally {
    await app.close();
  }
}
