import { Harness, startHarness } from '../helpers/harness';
import { freshDatabaseUrl, TestDialect } from '../helpers/db';
import { json } from '../helpers/json';

/**
 * The sandbox platform as the lifecycle scenarios drive it: act as anyone, send text or media,
 * tap buttons on the cards one received, and read what each person got. Everything goes over real
 * HTTP through the sandbox adapter and the same ingest → processor → outbox path as WeCom.
 *
 * Thu 2026-11-26 10:00 (the harness's default day): 关沟村's duty is 李四 (li, also its secretary),
 * its resident cadre 罗先运 (luo); 张三 (zhangsan) is a 关沟村 cadre off duty.
 */
export interface SandboxCard {
  taskId: string;
  code: string;
  title: string;
  subtitle: string;
  quote: string;
  fields: { label: string; value: string }[];
  buttons: { key: string; label: string }[];
  select?: { key: string; title: string; options: { id: string; text: string }[]; selected?: string };
  closedNote?: string;
}

export interface Sandbox {
  h: Harness;
  /** Sends as `as` and lets everything run. */
  send(as: string, text: string, extra?: Record<string, unknown>): Promise<void>;
  /** Sends as `as` but leaves the delivery stored, unprocessed (for concurrency tests). */
  sendOnly(as: string, text: string): Promise<void>;
  /** Taps a button (by its Chinese label) on a card and lets everything run. */
  tap(as: string, card: SandboxCard, label: string, selected?: Record<string, string[]>): Promise<void>;
  /** Taps without processing (the delivery stays stored). */
  tapOnly(as: string, card: SandboxCard, label: string, selected?: Record<string, string[]>): Promise<void>;
  /** Processes the stored deliveries with two workers at once, then settles. */
  concurrently(): Promise<void>;
  texts(as: string): Promise<string[]>;
  last(as: string): Promise<string | undefined>;
  cards(as: string): Promise<SandboxCard[]>;
  /** The newest card `as` got for request `code`, optionally with this title. */
  card(as: string, code: string, title?: string): Promise<SandboxCard>;
  /** A villager's sandbox id by name (袁志弟 → v1). */
  villager(name: string): Promise<string>;
  /** A new villager of the sandbox (no village unless given). */
  newVillager(name: string, village?: string): Promise<string>;
  /** A villager reports a matter; returns the new request (as the API shows it). */
  report(as: string, text: string): Promise<any>;
  /** `as` takes the request's new-request card (受理), with an optional 办结时限 choice. */
  accept(as: string, code: string, tier?: string): Promise<void>;
  req(id: number | string): Promise<any>;
  events(id: number | string): Promise<any[]>;
  /** Texts sent to `as` while `fn` ran. */
  during(as: string, fn: () => Promise<unknown>): Promise<string[]>;
  close(): Promise<void>;
}

const BUTTON_KEYS: Record<string, string> = {
  受理: 'accept',
  转办: 'forward',
  办结: 'resolve',
  上报: 'escalate',
  否定报备: 'reject',
  同意: 'approve',
  驳回: 'deny',
  满意: 'satisfied',
  不满意: 'unsatisfied',
  已电话告知: 'phoned',
  一次性告知: 'notify',
  合并: 'merge_dup',
};

let tapSeq = 0;

export async function startSandbox(dialect: TestDialect, o: { at?: string; env?: Record<string, string> } = {}): Promise<Sandbox> {
  const h = await startHarness({ databaseUrl: await freshDatabaseUrl(dialect), platform: 'sandbox', ...o });
  const post = async (path: string, body: unknown) => {
    const res = await h.fetch(`/sandbox/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`sandbox ${path}: ${res.status} ${await res.text()}`);
    return json(res);
  };
  const inbox = async (as: string): Promise<any[]> => (await json(await h.fetch(`/sandbox/api/inbox?as=${encodeURIComponent(as)}`))).messages;
  const texts = async (as: string) => (await inbox(as)).filter((m) => m.direction === 'out' && m.kind === 'text').map((m) => m.payload.text as string);
  const cards = async (as: string) => (await inbox(as)).filter((m) => m.kind === 'card').map((m) => m.payload as SandboxCard);
  const tapOnly = async (as: string, card: SandboxCard, label: string, selected?: Record<string, string[]>) => {
    const action = card.buttons.find((b) => b.label === label)?.key ?? BUTTON_KEYS[label] ?? label;
    await post('tap', { as, taskId: card.taskId, action, clientId: `tap-${++tapSeq}`, ...(selected ? { selected } : {}) });
  };
  const sendOnly = async (as: string, text: string, extra: Record<string, unknown> = {}) => {
    await post('send', { as, text, type: 'text', clientId: `msg-${++tapSeq}`, ...extra });
  };
  const api = async (id: number | string) => h.api(`/requests/${id}`);

  const sb: Sandbox = {
    h,
    async send(as, text, extra = {}) {
      await sendOnly(as, text, extra);
      await h.app.settle();
    },
    sendOnly: (as, text) => sendOnly(as, text),
    async tap(as, card, label, selected) {
      await tapOnly(as, card, label, selected);
      await h.app.settle();
    },
    tapOnly,
    async concurrently() {
      await Promise.all([h.app.inbound.runOnce(), h.app.inbound.runOnce()]);
      await h.app.settle();
    },
    texts,
    last: async (as) => (await texts(as)).at(-1),
    cards,
    async card(as, code, title) {
      const found = (await cards(as)).filter((c) => c.code === code && (!title || c.title === title)).at(-1);
      if (!found) throw new Error(`${as} has no card${title ? ` "${title}"` : ''} for ${code}`);
      return found;
    },
    async villager(name) {
      const { identities } = await json(await h.fetch('/sandbox/api/identities'));
      const found = identities.find((i: any) => i.kind === 'villager' && i.name === name);
      if (!found) throw new Error(`no villager ${name}`);
      return found.id;
    },
    async newVillager(name, village) {
      return (await post('villagers', { name, ...(village ? { village } : {}) })).id;
    },
    async report(as, text) {
      const before = (await h.api('/requests')).requests.map((r: any) => r.id);
      await sb.send(as, text);
      const created = (await h.api('/requests')).requests.filter((r: any) => !before.includes(r.id));
      if (created.length !== 1) throw new Error(`expected one new request, got ${created.length}`);
      return created[0];
    },
    async accept(as, code, tier) {
      const card = await sb.card(as, code, '新的群众诉求');
      await sb.tap(as, card, '受理', tier ? { tier: [tier] } : undefined);
    },
    req: api,
    events: async (id) => (await api(id)).events,
    async during(as, fn) {
      const before = (await texts(as)).length;
      await fn();
      return (await texts(as)).slice(before);
    },
    close: () => h.close(),
  };
  return sb;
}

/** A short, polite Chinese explanation: one line, Chinese, no English words. */
export const SHORT_ZH = /^(?=.*[\u4e00-\u9fff])(?!.*[A-Za-z]{3,})[^\n]{4,80}$/;
