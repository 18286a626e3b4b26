import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { FixedClock } from '../../src/clock';
import { parseConfig } from '../../src/config';
import { memoryLogger } from '../../src/log';
import { App, AppOverrides, createApp } from '../../src/main';
import { FakeWecom } from './fake-wecom';
import { TEST_WECOM } from './wecom';
import { json } from './json';

export const ADMIN = 'test-admin-token';

export interface Harness {
  app: App;
  base: string;
  clock: FixedClock;
  wecom: FakeWecom | null;
  logs: () => Record<string, unknown>[];
  fetch(path: string, init?: RequestInit): Promise<Response>;
  api<T = any>(path: string): Promise<T>;
  close(): Promise<void>;
}

/**
 * A running app on a loopback port: real HTTP in, a fake WeCom API (or the sandbox) out, a fixed
 * clock, logs kept in memory. Workers are not started; tests call `app.settle()`.
 */
export async function startHarness(o: {
  databaseUrl: string;
  platform: 'wecom' | 'sandbox';
  at?: string;
  env?: Record<string, string>;
  overrides?: AppOverrides;
  wecom?: FakeWecom;
  /** Listen here instead of a port of the system's choosing (so PUBLIC_BASE_URL can name it). */
  port?: number;
}): Promise<Harness> {
  const clock = new FixedClock(o.at ?? '2026-11-26T10:00:00+08:00');
  const wecom = o.platform === 'wecom' ? (o.wecom ?? (await new FakeWecom().start())) : null;
  const env: Record<string, string> = {
    DATABASE_URL: o.databaseUrl,
    ORG_FILE: 'org.example.json',
    ADMIN_TOKEN: ADMIN,
    PORT: '0',
    MEDIA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'minqing-media-')),
    ...(wecom ? { ...TEST_WECOM, WECOM_API_BASE: wecom.base } : {}),
    ...o.env,
  };
  const { log, lines } = memoryLogger('debug');
  const app = await createApp(parseConfig(env), { clock, log, startWorkers: false, ...o.overrides });
  const server: http.Server = await app.listen(o.port ?? 0);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    app,
    base,
    clock,
    wecom,
    logs: lines,
    fetch: (path, init) => fetch(`${base}${path}`, init),
    async api(path) {
      const r = await fetch(`${base}/api/v1${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
      return json(r);
    },
    async close() {
      await app.close();
      if (!o.wecom) await wecom?.stop();
    },
  };
}
