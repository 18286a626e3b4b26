#!/usr/bin/env node
import fs from 'node:fs';
import pino from 'pino';
import { ConfigError, loadConfig } from '../config';
import { Db } from '../db/db';
import { openDatabase } from '../db/data-source';
import { WorkCalendar } from '../domain/calendar';
import { computeDeadline, DeadlineError, isTier, needsPromisedDate, TIERS } from '../domain/deadline';
import { END_OF_DAY } from '../domain/deadline';
import { isoShanghai, parseInstant } from '../domain/time';
import { createLogger } from '../log';
import { readOrgFile } from '../services/org-import';

/** Bad arguments: one line, Chinese and English, exit 2 (docs/interface.md#commands). */
export class UsageError extends Error {}

const USAGE = `用法 / usage:
  minqing serve                          启动服务 / start the server (npm start)
  minqing migrate                        执行数据库迁移 / run pending migrations
  minqing org import FILE                导入组织架构 / load the org directory
  minqing households import FILE         导入民情档案 (CSV/XLSX) / load the household register
  minqing diary export PERSON_ID [--csv] 导出民情日记（含离岗归档）/ a person's diary as JSON or CSV
  minqing deadline --tier TIER --from ISO [--promised ISO]
                                         计算办结时限 / print a deadline (tiers: ${TIERS.join(', ')})
  minqing jobs list                      定时任务及上次/下次运行 / scheduled jobs, last and next run
  minqing jobs run JOB [--at ISO] [--dry-run]
                                         立即运行任务 / run a job now (dry run prints what it would send)`;

export function flags(args: string[], allowed: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m || !allowed.includes(m[1])) throw new UsageError(`未知参数 / unknown argument: ${a}`);
    if (m[2] !== undefined) out[m[1]] = m[2];
    else if (allowed.includes(`${m[1]}!`)) out[m[1]] = 'true';
    else {
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`缺少参数值 / missing value for --${m[1]}`);
      out[m[1]] = v;
    }
  }
  return out;
}

export function deadlineCommand(args: string[], calendar: WorkCalendar): string {
  const f = flags(args, ['tier', 'from', 'promised']);
  if (!f.tier || !isTier(f.tier)) throw new UsageError(`--tier 取值有误 / --tier must be one of ${TIERS.join(', ')}`);
  if (!f.from) throw new UsageError('缺少 --from / --from is required (ISO-8601)');
  const from = parseInstant(f.from);
  if (!from) throw new UsageError(`--from 不是有效时间 / --from is not an ISO-8601 date or time: ${f.from}`);
  let promised: Date | null = null;
  if (f.promised) {
    promised = parseInstant(f.promised, END_OF_DAY);
    if (!promised) throw new UsageError(`--promised 不是有效时间 / --promised is not an ISO-8601 date or time: ${f.promised}`);
  }
  if (needsPromisedDate(f.tier) && !promised) throw new UsageError(`${f.tier} 需要 --promised / tier ${f.tier} needs --promised`);
  try {
    return isoShanghai(computeDeadline(calendar, f.tier, from, promised));
  } catch (e) {
    if (e instanceof DeadlineError) throw new UsageError(`时限有误 / ${e.message}`);
    throw e;
  }
}

async function withDb<T>(url: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = new Db(await openDatabase(url), url);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export async function run(argv: string[], out: (s: string) => void = (s) => process.stdout.write(`${s}\n`)): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case undefined:
      throw new UsageError('缺少命令，用 minqing help 查看用法 / missing command, see minqing help');
    case 'help':
    case '--help':
      out(USAGE);
      return 0;
    case 'serve': {
      const { serve } = await import('./serve');
      await serve();
      return 0;
    }
    case 'migrate': {
      const config = loadConfig();
      await withDb(config.databaseUrl, async (db) => {
        const [{ n }] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM migrations');
        out(`数据库已是最新 / database is up to date (${n} migrations applied)`);
      });
      return 0;
    }
    case 'org': {
      if (rest[0] !== 'import' || !rest[1] || rest.length > 2) throw new UsageError('用法 / usage: minqing org import FILE');
      if (!fs.existsSync(rest[1])) throw new UsageError(`找不到组织架构文件 / no such org file: ${rest[1]}`);
      readOrgFile(rest[1]); // an invalid file fails here, before anything starts
      const { orgImportCommand } = await import('./org');
      return orgImportCommand(rest[1], out);
    }
    case 'households': {
      const { householdsCommand } = await import('./households');
      const config = loadConfig();
      return householdsCommand(rest, out, (fn) => withDb(config.databaseUrl, fn), () => Date.now(), UsageError);
    }
    case 'diary': {
      const { diaryCommand } = await import('./diary');
      const config = loadConfig();
      return diaryCommand(rest, out, (fn) => withDb(config.databaseUrl, fn), UsageError);
    }
    case 'jobs': {
      const { jobsCommand } = await import('./jobs');
      return jobsCommand(rest, out, UsageError, flags);
    }
    case 'deadline': {
      const config = loadConfig();
      out(deadlineCommand(rest, WorkCalendar.fromFile(config.calendarFile)));
      return 0;
    }
    default:
      throw new UsageError(`未知命令 / unknown command: ${cmd}`);
  }
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    (code) => {
      if (code) process.exitCode = code;
    },
    (e) => {
      if (e instanceof UsageError) {
        process.stderr.write(`${e.message}\n`);
        process.exitCode = 2;
      } else if (e instanceof ConfigError) {
        process.stderr.write(`${e.message}\n`);
        process.exitCode = 2;
      } else {
        // Details to stderr as a log line; stdout stays for what the command prints.
        createLogger('error', pino.destination(2)).error({ err: e }, 'command failed');
        process.stderr.write(`出错了 / failed: ${(e as Error).message}\n`);
        process.exitCode = 1;
      }
    },
  );
}
