import type { KvStore } from '../../src/platform/types';

/**
 * The response codes a WeCom template card can be updated with (更新模版卡片消息): each is good for one
 * `message/update_template_card` call. message/send hands one out (valid 24 h), and every tap's
 * template_card_event carries another (valid 72 h). They are kept per task id under
 * `wecom.card.<taskId>` as `{codes:[{code, at, from}]}`; a used or expired code is dropped.
 */
export type CodeOrigin = 'send' | 'tap';

export interface ResponseCode {
  code: string;
  /** When WeCom handed it out (ms). */
  at: number;
  from: CodeOrigin;
  /** The tap was answered with a passive reply that updated the card: WeCom may count that as the code's use. */
  passive?: boolean;
}

export interface CodeBook {
  codes: ResponseCode[];
}

/** How long WeCom accepts a code: 24 h from message/send, 72 h from a tap. */
export const CODE_TTL_MS: Record<CodeOrigin, number> = { send: 24 * 3600_000, tap: 72 * 3600_000 };
/** A code is not used this close to its end: the call may take a while, the clocks may differ. */
export const CODE_MARGIN_MS = 15 * 60_000;
/** More codes than this for one card are never needed: the ones ending soonest give way. */
export const MAX_CODES = 20;

export const codeKey = (taskId: string): string => `wecom.card.${taskId}`;

export function expiresAt(c: ResponseCode): number {
  return c.at + CODE_TTL_MS[c.from] - CODE_MARGIN_MS;
}

/** Reads the stored value; the old `{code, at}` shape (a send's or a tap's, unknown) counts as a send's. */
export function parseBook(raw: string | null): CodeBook {
  if (!raw) return { codes: [] };
  try {
    const v = JSON.parse(raw) as Partial<CodeBook> & { code?: unknown; at?: unknown };
    if (Array.isArray(v.codes)) {
      return { codes: v.codes.filter((c): c is ResponseCode => typeof c?.code === 'string' && typeof c.at === 'number' && (c.from === 'send' || c.from === 'tap')) };
    }
    if (typeof v.code === 'string' && typeof v.at === 'number') return { codes: [{ code: v.code, at: v.at, from: 'send' }] };
  } catch {
    // An unreadable value holds no usable code.
  }
  return { codes: [] };
}

/** The codes still valid at `now`, in the order to use them (see `usable`). */
export function prune(book: CodeBook, now: number): CodeBook {
  const live = book.codes.filter((c) => expiresAt(c) > now);
  return { codes: usable({ codes: live }, now).slice(0, MAX_CODES) };
}

/**
 * The order codes are spent in: first those no passive reply may have used, then, within each group,
 * the one that ends soonest — a send's 24 h code before a tap's 72 h one, so the longer-lived code is
 * still there for a later update. Expired codes are left out.
 */
export function usable(book: CodeBook, now: number): ResponseCode[] {
  return book.codes
    .filter((c) => expiresAt(c) > now)
    .sort((a, b) => Number(Boolean(a.passive)) - Number(Boolean(b.passive)) || expiresAt(a) - expiresAt(b));
}

export function withCode(book: CodeBook, code: ResponseCode, now: number): CodeBook {
  if (book.codes.some((c) => c.code === code.code)) return prune(book, now);
  return prune({ codes: [...book.codes, code] }, now);
}

export function withoutCode(book: CodeBook, code: string, now: number): CodeBook {
  return prune({ codes: book.codes.filter((c) => c.code !== code) }, now);
}

/**
 * The book of one card in the shared kv store. Read-modify-write without a lock: two writers at the
 * same moment (two taps on two instances) can lose one of the codes — the card then falls back to a
 * text one update sooner — or bring back a used one, which WeCom refuses (42022) and the sender skips.
 */
export class CardCodes {
  constructor(
    private readonly kv: KvStore,
    private readonly now: () => number,
  ) {}

  async book(taskId: string): Promise<CodeBook> {
    return prune(parseBook(await this.kv.get(codeKey(taskId))), this.now());
  }

  async add(taskId: string, code: ResponseCode): Promise<void> {
    const book = withCode(await this.book(taskId), code, this.now());
    await this.kv.set(codeKey(taskId), JSON.stringify(book));
  }

  /** Single use: gone after the call that spent it — or after WeCom said it is used, invalid or expired. */
  async spend(taskId: string, code: string): Promise<void> {
    const book = withoutCode(await this.book(taskId), code, this.now());
    await this.kv.set(codeKey(taskId), JSON.stringify(book));
  }
}
