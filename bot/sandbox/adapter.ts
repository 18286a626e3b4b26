import crypto from 'node:crypto';
import path from 'node:path';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { toSandboxCard } from '../../cards/sandbox';
import type { Db } from '../../src/db/db';
import type { SandboxRepo } from '../../src/db/repos/sandbox';
import { rawBody, utf8Body } from '../../src/http/raw-body';
import type { Logger } from '../../src/log';
import type { AdapterContext, Address, LoginIdentity, OutboundMessage, PlatformAdapter, Reach, SendOutcome } from '../../src/platform/types';
import { StaticFolder, WEB_ROOT } from '../../src/web/static';
import { sandboxPostGuard } from './guard';

export interface SandboxIdentity {
  id: string;
  name: string;
  label: string;
  kind: 'villager' | 'person';
  /** A person's roles (to group the picker: 村干部, 驻村干部, 镇民情处理站, …). */
  roles?: string[];
  /** A villager's village name, null while we do not know it. */
  village?: string | null;
  onDuty?: boolean;
}

export interface SandboxAdapterOptions {
  db: Db;
  log: Logger;
  now: () => number;
  /** Everyone one may act as: the org's people and the villagers we know. */
  identities: (store: SandboxRepo) => Promise<SandboxIdentity[]>;
  /** The township's name from the org file (the page's header and title). */
  township?: () => string;
  /** PUBLIC_BASE_URL: its origin may POST too (behind a proxy that rewrites Host). */
  publicBaseUrl?: string;
}

/** In the sandbox a person's user id is their person id; a villager's is `v<id>`. */
export const SANDBOX = 'sandbox';

/** The page loads only its own files and talks only to this server. */
const PAGE_CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'";

const sendSchema = z.object({
  as: z.string().min(1).max(128),
  text: z.string().max(2000).optional(),
  type: z.enum(['text', 'image', 'voice', 'location', 'file']).default('text'),
  clientId: z.string().max(64).optional(),
});
const tapSchema = z.object({
  as: z.string().min(1).max(128),
  taskId: z.string().min(1).max(128),
  action: z.string().min(1).max(64),
  selected: z.record(z.string(), z.array(z.string())).optional(),
  clientId: z.string().max(64).optional(),
});
const villagerSchema = z.object({ name: z.string().trim().min(1).max(64), village: z.string().trim().max(64).optional() });
const unreadSchema = z.object({ seen: z.record(z.string().max(128), z.number().nonnegative()).default({}) });

/**
 * The sandbox platform: a chat page at /sandbox where one can be any villager, cadre or leader,
 * send messages and tap the same cards. What comes in goes through the same ingest → processor
 * path as WeCom; what the outbox sends lands in `sandbox_message` for the page to show.
 */
export class SandboxAdapter implements PlatformAdapter {
  readonly name = 'sandbox' as const;
  readonly realms = [{ name: SANDBOX, admitsStrangers: true }];
  private readonly store: SandboxRepo;

  /** The page's files: src/web/sandbox (index.html, sandbox.css, sandbox.js). */
  private readonly page = new StaticFolder(path.join(WEB_ROOT, 'sandbox'));

  constructor(private readonly o: SandboxAdapterOptions) {
    this.store = o.db.sandbox(SANDBOX);
  }

  realmOf(): string {
    return SANDBOX;
  }

  /** In the sandbox anyone may open the pages as anyone: `/h5/auth/sandbox?as=PERSON_ID_OR_VILLAGER_NAME`. */
  readonly pageLogin = 'picker' as const;

  /** A sandbox identity by its id (`lisi`, `v3`) or, for a villager, their name (`袁志弟`). */
  async whoIs(as: string): Promise<LoginIdentity | null> {
    const villager = (await this.store.villagers()).find((v) => v.userId === as || v.name === as);
    if (villager) return { realm: SANDBOX, userId: villager.userId };
    return /^[\w.@-]{1,64}$/.test(as) ? { realm: SANDBOX, userId: as } : null;
  }

  address(_realm: string, userId: string): Address {
    return { platform: 'sandbox', channel: 'sandbox', userId };
  }

  reach(): Reach {
    return { realm: SANDBOX, cards: true, batch: true, source: 'sandbox' };
  }

  /** Everyone of the directory gets their sandbox id (at start, and after every org import). */
  async directoryChanged(): Promise<void> {
    const added = await this.o.db.exclusive(() => this.store.provision(this.o.now()));
    if (added) this.o.log.debug({ added }, 'sandbox ids provisioned');
  }

  mount(router: Router, ctx: AdapterContext): void {
    router.get('/sandbox', async (c) => {
      c.set('content-security-policy', PAGE_CSP);
      if (!(await this.page.serve(c, 'index.html'))) {
        this.o.log.error({ dir: this.page.dir }, 'sandbox page files missing (npm run build copies them)');
        c.status = 500;
      }
    });
    this.page.mount(router, '/sandbox/assets');
    router.get('/sandbox/api/identities', async (c) => {
      const villages = await this.store.activeVillages();
      c.body = { township: this.o.township?.() ?? '', identities: await this.o.identities(this.store), villages: villages.map((v) => ({ id: v.id, name: v.name })) };
    });
    router.get('/sandbox/api/inbox', (c) => this.inbox(c));
    const guard = sandboxPostGuard({ log: this.o.log, publicBaseUrl: this.o.publicBaseUrl });
    router.post('/sandbox/api/send', guard, rawBody({ limit: 64 * 1024 }), (c) => this.receive(c, ctx));
    router.post('/sandbox/api/tap', guard, rawBody({ limit: 64 * 1024 }), (c) => this.tap(c, ctx));
    router.post('/sandbox/api/villagers', guard, rawBody({ limit: 16 * 1024 }), (c) => this.newVillager(c));
    router.post('/sandbox/api/unread', guard, rawBody({ limit: 64 * 1024 }), (c) => this.unread(c));
  }

  /** A 400 with a clear error for the page, and one log line with the reason. */
  private refuse(c: Context, error: string): void {
    this.o.log.warn({ route: c.path, reason: error }, 'sandbox request rejected');
    c.status = 400;
    c.body = { error };
  }

  private body<T>(c: Context, schema: z.ZodType<T>): T | null {
    let json: unknown;
    const text = utf8Body(c.state.rawBody as Buffer);
    if (text === null) {
      this.refuse(c, 'body must be valid UTF-8');
      return null;
    }
    try {
      json = JSON.parse(text);
    } catch {
      this.refuse(c, 'body must be JSON');
      return null;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.refuse(c, `${issue.path.join('.') || 'body'}: ${issue.message}`);
      return null;
    }
    return parsed.data;
  }

  private async record(recipient: string, direction: 'in' | 'out', kind: string, payload: unknown, taskId: string | null = null): Promise<void> {
    const now = this.o.now();
    await this.o.db.exclusive(() => this.store.record({ recipient, direction, kind, payload, taskId }, now));
  }

  private async receive(c: Context, ctx: AdapterContext): Promise<void> {
    const b = this.body(c, sendSchema);
    if (!b) return;
    if (b.type === 'text' && !b.text?.trim()) {
      this.refuse(c, 'text: must not be empty');
      return;
    }
    const messageId = b.clientId ?? crypto.randomUUID();
    const now = this.o.now();
    const mediaId = b.type === 'text' ? undefined : `sandbox-${b.type}-${messageId}`;
    const result = await ctx.ingest({
      dedupeKey: `sandbox:msg:${b.as}:${messageId}`,
      event: {
        type: 'message',
        platform: 'sandbox',
        channel: 'sandbox',
        senderId: b.as,
        msgType: b.type,
        text: b.text,
        mediaId,
        location: b.type === 'location' ? { lat: 32.1, lng: 108.9, label: b.text || '村口' } : undefined,
        fileName: b.type === 'file' ? b.text || '文件' : undefined,
        sentAt: now,
        messageId,
      },
    });
    if (result === 'stored') await this.record(b.as, 'in', b.type, { text: b.text ?? '' });
    c.body = { ok: true, duplicate: result === 'duplicate' };
  }

  private async tap(c: Context, ctx: AdapterContext): Promise<void> {
    const b = this.body(c, tapSchema);
    if (!b) return;
    const now = this.o.now();
    const result = await ctx.ingest({
      dedupeKey: `sandbox:card:${b.taskId}:${b.action}:${b.as}:${b.clientId ?? now}`,
      event: { type: 'card_action', platform: 'sandbox', senderId: b.as, taskId: b.taskId, action: b.action, selected: b.selected, sentAt: now },
    });
    c.body = { ok: true, duplicate: result === 'duplicate' };
  }

  private async inbox(c: Context): Promise<void> {
    const as = String(c.query.as ?? '');
    const since = Number(c.query.since ?? 0) || 0;
    if (!as) {
      this.refuse(c, 'as: required (the sandbox identity to read the inbox of)');
      return;
    }
    // By update time, so that `now` (the newest time returned) is a cursor that skips nothing when
    // the page is full; the page orders what it shows by id.
    const rows = await this.store.inbox(as, since, 500);
    c.body = {
      now: rows.reduce((t, r) => Math.max(t, r.updatedAt), since),
      messages: rows.map((r) => ({ id: r.id, direction: r.direction, kind: r.kind, payload: r.payload, at: r.createdAt })),
    };
  }

  private async newVillager(c: Context): Promise<void> {
    const b = this.body(c, villagerSchema);
    if (!b) return;
    // A village given by id or by name ("白垭村", "白垭"); an unknown one is refused rather than stored,
    // since a villager with a village id that matches no village would never be asked for theirs.
    let villageId: string | null = null;
    if (b.village) {
      const villages = await this.store.activeVillages();
      const t = b.village;
      const found = villages.find((v) => v.id === t || v.name === t || v.name.replace(/村$/, '') === t);
      if (!found) {
        this.refuse(c, `village: no active village "${t}"`);
        return;
      }
      villageId = found.id;
    }
    const id = await this.o.db.exclusive(() => this.store.addVillager(b.name, villageId, this.o.now()));
    c.status = 201;
    c.body = { id };
  }

  /** Unread counts per identity: what was sent to them after the time they last looked (`seen`). */
  private async unread(c: Context): Promise<void> {
    const b = this.body(c, unreadSchema);
    if (!b) return;
    const seen = b.seen;
    const unread: Record<string, number> = {};
    for (const r of await this.store.outCounts()) {
      const since = seen[r.recipient];
      if (since === undefined) unread[r.recipient] = r.n;
      else if (r.last > since) unread[r.recipient] = await this.store.countOutSince(r.recipient, since);
    }
    c.body = { unread };
  }

  async send(m: OutboundMessage): Promise<SendOutcome> {
    const p = m.payload;
    // Nothing here leaves the process (no HTTP to cancel); a send the outbox already gave up on writes nothing.
    m.signal?.throwIfAborted();
    switch (p.kind) {
      case 'text':
        for (const to of m.to) await this.record(to, 'out', 'text', { text: p.text });
        break;
      case 'image':
        for (const to of m.to) await this.record(to, 'out', 'image', { pngBase64: p.pngBase64, caption: p.caption });
        break;
      case 'card':
        for (const to of m.to) await this.record(to, 'out', 'card', toSandboxCard(p.card, p.taskId), p.taskId);
        break;
      case 'card_update': {
        const now = this.o.now();
        const card = toSandboxCard(p.card, p.taskId);
        await this.o.db.exclusive(() => this.store.updateCard(p.taskId, m.to, card, now));
        break;
      }
    }
    return { ok: true };
  }
}
