import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import type Koa from 'koa';
// The composition root is the one file in src/ that knows the platform adapters exist.
import { DingtalkAdapter } from '../bot/dingtalk/adapter';
import { SandboxAdapter } from '../bot/sandbox/adapter';
import { sandboxIdentities } from '../bot/sandbox/identities';
import { WecomAdapter } from '../bot/wecom/adapter';
import type { Fetch } from '../bot/wecom/api';
import { Clock, systemClock } from './clock';
import { Config } from './config';
import { Db } from './db/db';
import { openDatabase } from './db/data-source';
import { WorkCalendar } from './domain/calendar';
import { Directory } from './domain/directory';
import { dutyGaps, dutyGapWarnings } from './domain/duty-gaps';
import { shanghaiDay } from './domain/time';
import { apiRouter } from './http/api';
import { diaryRouter } from './http/diary-api';
import { createKoa } from './http/app';
import { MediaAccess, mediaRouter } from './http/media';
import { FsMediaStore, type MediaStore } from './media/store';
import { MediaWorker, type MediaWorkerOptions } from './media/worker';
import { Inbound, ProcessorOptions } from './inbound/processor';
import { createLogger, Logger, protectSecrets } from './log';
import { offerHandovers } from './operations/handover';
import { inTx, type AppDeps } from './operations/tx';
import { OutboxWorker, OutboxWorkerOptions } from './outbox/worker';
import { Platforms } from './platform/registry';
import type { AdapterContext, PlatformAdapter, PlatformName } from './platform/types';
import { JOBS } from './jobs';
import { runJob, RunOptions, RunResult } from './jobs/runner';
import { JobListing, JobScheduler, listJobs } from './jobs/scheduler';
import { importOrg, loadDirectory, OrgImportResult, readOrgFile } from './services/org-import';
import { requestLinks } from './web/links';
import { pageMediaAccess } from './web/media-access';
import { h5Router } from './web/router';
import { sessionSecret } from './web/secret';
import { DbTickets } from './web/tickets';

export interface AppOverrides {
  clock?: Clock;
  fetch?: Fetch;
  log?: Logger;
  outbox?: Partial<OutboxWorkerOptions>;
  processor?: Partial<ProcessorOptions>;
  /** Start the background workers (default true). Tests pass false and drain by hand. */
  startWorkers?: boolean;
  /** Load ORG_FILE at start (default true). */
  importOrgFile?: boolean;
  /** The download queue's timings and limits (tests shorten them). */
  media?: Partial<MediaWorkerOptions>;
  /** Start the download queue with the other workers (default true; the benchmark starts it later). */
  startMedia?: boolean;
  /** Where files are kept (default: the filesystem under MEDIA_DIR). */
  mediaStore?: MediaStore;
  /**
   * How often every instance looks at the org version in the database, to reload the directory after
   * an `org import` made elsewhere (default 20 000 ms; docs/interface.md#instances). The watch runs
   * with the workers, or whenever this is given.
   */
  orgWatchMs?: number;
  /**
   * Who, besides the API token, may fetch a request's files (`/media/:id`): the pages' sessions and
   * signed links answer it (docs/interface.md#media). Default: nobody.
   */
  mediaAccess?: MediaAccess;
}

export interface App {
  config: Config;
  db: Db;
  deps: AppDeps;
  log: Logger;
  inbound: Inbound;
  outbox: OutboxWorker;
  /** The download queue of villagers' photos, voice and files. */
  media: MediaWorker;
  mediaStore: MediaStore;
  adapters: Map<PlatformName, PlatformAdapter>;
  koa: Koa;
  scheduler: JobScheduler;
  importOrg(file: string): Promise<OrgImportResult>;
  /**
   * Looks once at the org version in the database and, if another process imported since, reloads the
   * directory (adapters told, 交接 cards offered). True when it reloaded. The org watch calls it.
   */
  checkOrg(): Promise<boolean>;
  /** Runs a scheduled job now (docs/interface.md#commands `jobs run`). */
  runJob(id: string, o: RunOptions): Promise<RunResult>;
  listJobs(): Promise<JobListing[]>;
  /** Process every stored delivery and send everything due, until both are idle. */
  settle(): Promise<void>;
  listen(port?: number): Promise<http.Server>;
  close(): Promise<void>;
}

/** Wires config, database, directory, platforms, workers and HTTP together. */
export async function createApp(config: Config, o: AppOverrides = {}): Promise<App> {
  const log = o.log ?? createLogger(config.logLevel);
  // Credentials never reach a log line, whichever logger is used (docs/interface.md#security-and-retention).
  protectSecrets([config.adminToken, config.wecom?.secret, config.wecom?.token, config.wecom?.encodingAesKey, config.dingtalk?.appSecret, config.dingtalk?.cardApiSecret]);
  const clock = o.clock ?? systemClock;
  const db = new Db(await openDatabase(config.databaseUrl), config.databaseUrl);
  const calendar = WorkCalendar.fromFile(config.calendarFile);
  for (const year of [0, 1].map((d) => Number(shanghaiDay(clock.now()).slice(0, 4)) + d)) {
    if (!calendar.knowsYear(year)) log.warn({ year }, 'no holiday data for this year: deadlines count only weekends; set CALENDAR_FILE');
  }
  const adapters = new Map<PlatformName, PlatformAdapter>();
  const platforms = new Platforms(adapters);
  const directory = new Directory(platforms);
  const now = () => clock.now().getTime();
  const secret = await sessionSecret(db, config.sessionSecret, now());
  const links = requestLinks(config.publicBaseUrl, secret);
  const deps: AppDeps = { db, directory, calendar, clock, log, publicBaseUrl: config.publicBaseUrl, platforms, policy: config.policy, links, retention: config.retention };
  const knows = (realm: string, id: string) => directory.knows(realm, id);

  if (config.wecom) adapters.set('wecom', new WecomAdapter({ config: config.wecom, log: log.child({ platform: 'wecom' }), fetch: o.fetch, now, knows, publicBaseUrl: config.publicBaseUrl }));
  if (config.dingtalk) {
    adapters.set('dingtalk', new DingtalkAdapter({ config: config.dingtalk, log: log.child({ platform: 'dingtalk' }), fetch: o.fetch, now, knows, publicBaseUrl: config.publicBaseUrl }));
  }
  if (config.sandbox) {
    adapters.set('sandbox', new SandboxAdapter({ db, log: log.child({ platform: 'sandbox' }), now, identities: (store) => sandboxIdentities(store, directory, clock), township: () => directory.townshipName, publicBaseUrl: config.publicBaseUrl }));
  }

  /**
   * After the org directory changed in the database: the adapters hear of it, the directory reloads,
   * and the requests of people who left get their 交接 cards (docs/interface.md#year).
   */
  let reloading: Promise<unknown> = Promise.resolve();
  const reload = () => (reloading = reloading.then(reloadNow, reloadNow));
  const reloadNow = async () => {
    for (const a of adapters.values()) await a.directoryChanged?.();
    await loadDirectory(db, directory);
    const offered = await inTx(deps, log, (tx) => offerHandovers(tx));
    if (offered) log.info({ offered }, 'handover cards sent for requests of people who left');
  };
  const doImport = async (file: string) => {
    const summary = await importOrg(db, readOrgFile(file), now());
    await reload();
    log.info({ file, ...summary }, 'org directory imported');
    // seed 001 §二.3 / seed 000 §二 (docs/interface.md#year): every day someone on duty.
    for (const line of dutyGapWarnings(dutyGaps(directory, { calendar, from: shanghaiDay(clock.now()) }))) log.warn(line);
    return summary;
  };
  if (o.importOrgFile !== false) {
    if (!fs.existsSync(config.orgFile)) throw new Error(`ORG_FILE: ${config.orgFile} does not exist`);
    await doImport(config.orgFile);
  } else {
    await reload();
  }

  /** The org watch (CONTRACT §12): an import by the CLI or another instance reaches this one within a poll. */
  const checkOrg = async () => {
    await reloading;
    if ((await db.read.org.version()) === directory.version) return false;
    await reload();
    log.info({ version: directory.version }, 'org directory changed in the database; reloaded');
    return true;
  };
  let orgWatch: NodeJS.Timeout | null = null;
  let orgCheck: Promise<unknown> | null = null;
  const watchOrg = (ms: number) => {
    orgWatch = setInterval(() => {
      orgCheck ??= checkOrg()
        .catch((e: unknown) => log.error({ err: e }, 'org watch failed; will look again'))
        .finally(() => (orgCheck = null));
    }, ms);
    orgWatch.unref();
  };

  const kv = { get: (key: string) => db.read.kv.get(key), set: (key: string, value: string) => db.write((r) => r.kv.set(key, value, now())) };
  const tickets = new DbTickets(db, log.child({ component: 'tickets' }), { now });
  const signatures = { claim: (scope: string, sig: string, owner: string, expiresAt: number) => db.write((r) => r.signatures.claim(scope, sig, owner, expiresAt)) };
  const adapterContext = (): AdapterContext => ({ ingest: (d) => inbound.ingest(d), kv, signatures, log, now, tickets });
  const inbound: Inbound = new Inbound(deps, adapterContext, o.processor);
  const outbox = new OutboxWorker(db, platforms, clock, log.child({ component: 'outbox' }), adapterContext, o.outbox);
  db.onCommit(() => outbox.kick());
  const mediaStore = o.mediaStore ?? new FsMediaStore(config.mediaDir);
  const media = new MediaWorker({ db, platforms, clock, log: log.child({ component: 'media' }), store: mediaStore }, { busy: () => inbound.busy(), ...o.media });
  db.onCommit(() => media.kick());

  const health = new Router();
  health.get('/healthz', async (ctx) => {
    const ok = await db.ping();
    ctx.status = ok ? 200 : 503;
    ctx.body = ok ? { ok: true } : { ok: false, error: 'database unavailable' };
  });
  health.get('/', (ctx) => {
    ctx.redirect(config.sandbox ? '/sandbox' : '/healthz');
  });
  const platformRoutes = new Router();
  for (const a of adapters.values()) a.mount?.(platformRoutes, adapterContext());
  const web = { app: deps, secret, links, log: log.child({ component: 'pages' }) };
  const pages = h5Router(web);
  const diary = diaryRouter({ db, directory, adminToken: config.adminToken });
  const files = mediaRouter({ db, store: mediaStore, adminToken: config.adminToken, access: o.mediaAccess ?? pageMediaAccess(web), log: log.child({ component: 'media' }) });
  const koa = createKoa(log, [health, apiRouter({ db, directory, adminToken: config.adminToken, app: deps }), diary, files, platformRoutes, pages]);

  const scheduler = new JobScheduler(deps, JOBS);
  if (o.startWorkers !== false) {
    inbound.start();
    outbox.start();
    if (o.startMedia !== false) media.start();
    for (const a of adapters.values()) await a.start?.(adapterContext());
    await scheduler.start();
  }
  if (o.startWorkers !== false || o.orgWatchMs !== undefined) watchOrg(o.orgWatchMs ?? DEFAULT_ORG_WATCH_MS);
  log.info({ platforms: platforms.names, database: db.dialect }, 'minqing ready');
  // Rows for a platform not configured here stay pending (they go once it is): say so once, per platform.
  for (const [platform, waiting] of Object.entries(await outbox.unconfigured())) {
    log.warn({ platform, waiting }, 'outbox rows wait for a platform that is not configured; they stay pending until it is');
  }

  let server: http.Server | null = null;
  return {
    config,
    db,
    deps,
    log,
    inbound,
    outbox,
    media,
    mediaStore,
    adapters,
    koa,
    scheduler,
    importOrg: doImport,
    checkOrg,
    runJob(id, ro) {
      const job = JOBS.find((j) => j.id === id);
      if (!job) throw new Error(`unknown job ${id}`);
      return runJob(deps, job, ro);
    },
    listJobs: () => listJobs(deps, JOBS),
    async settle() {
      for (let i = 0; i < 50; i++) {
        await inbound.drain();
        await media.drain();
        await outbox.drain();
        if ((await inbound.due()) === 0 && (await media.due()) === 0) return;
      }
    },
    listen(port = config.port) {
      return new Promise((resolve, reject) => {
        // eslint-disable-next-line @typescript-eslint/no-misused-promises -- Koa's handler catches every error itself (ctx.onerror); its promise never rejects
        server = http.createServer(koa.callback());
        server.keepAliveTimeout = 65_000;
        server.once('error', reject);
        // The sandbox has no login: loopback only, unless SANDBOX_PUBLIC=1 (docs/interface.md#security-and-retention).
        const host = config.sandbox && !config.sandboxPublic ? '127.0.0.1' : undefined;
        server.listen(port, host, () => {
          const a = server!.address() as AddressInfo;
          log.info({ port: a.port, host: a.address }, host ? 'listening (sandbox: 127.0.0.1 only; SANDBOX_PUBLIC=1 opens it)' : 'listening');
          resolve(server!);
        });
      });
    },
    async close() {
      if (orgWatch) clearInterval(orgWatch);
      await new Promise<void>((r) => {
        if (!server) return r();
        server.close(() => r());
        // A keep-alive connection that was busy when close began would otherwise hold it for keepAliveTimeout.
        setTimeout(() => server?.closeAllConnections?.(), 1000).unref();
      });
      await scheduler.stop();
      await inbound.stop();
      await media.stop();
      await outbox.stop();
      for (const a of adapters.values()) await a.stop?.();
      await orgCheck;
      await reloading.catch(() => undefined);
      await db.close();
    },
  };
}

/** How often an instance looks for an org import made elsewhere (CONTRACT §12: seen within 60 s). */
export const DEFAULT_ORG_WATCH_MS = 20_000;
