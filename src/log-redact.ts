/**
 * What never goes into a log line (docs/interface.md#security-and-retention): what people wrote
 * (message text, 办理结果, 依据/理由, notes), SQL parameters and statements (`QueryFailedError`'s
 * `parameters` and `query`, a driver's `sql`), personal data (phone numbers, names in the fields that
 * hold them) and credentials (tokens, secrets, AES keys, signatures). Pure: an object in, a copy that
 * is safe to log out. src/log.ts applies it to every line.
 */

export const REDACTED = '[redacted]';

/** Fields dropped by name, wherever they appear (compared lower-case). */
const DROP = new Set([
  'text', 'content', 'result', 'basis', 'quote', 'note', 'comment', 'answer', 'title',
  'body', 'rawbody', 'payload', 'msgparam', 'card', 'carddata', 'cardparammap', 'fields',
  'parameters', 'params', 'query', 'sql', 'driver', 'drivererror',
  'phone', 'mobile', 'tel', 'name', 'reportername', 'sendernick', 'nick', 'nickname', 'household', 'reporter',
  'authorization', 'cookie', 'password', 'echostr', 'encrypt', 'msg_signature', 'signature', 'sign',
]);

/** Fields dropped when their name contains one of these (accessToken, corpsecret, encodingAesKey…). */
const DROP_PART = ['secret', 'token', 'aeskey', 'password', 'apikey'];

/** Fields an error keeps; the rest of an error (SQL, parameters, driver state, responses) is dropped. */
const ERROR_FIELDS = ['type', 'message', 'stack', 'code', 'errno', 'status', 'statusCode'];

const MAX_DEPTH = 6;
const MAX_ITEMS = 50;

/** Secret values the process knows (from the configuration): replaced wherever they appear. */
const known = new Set<string>();

/** Adds values that must never be logged, even inside a string (config secrets, tokens). */
export function protectSecrets(values: (string | undefined | null)[]): void {
  for (const v of values) if (v && v.length >= 6) known.add(v);
}

const PATTERNS: [RegExp, string][] = [
  // Credentials in URLs and headers.
  [/\b((?:access_token|corpsecret|secret|token|api_?secret|sign|signature|msg_signature|echostr|code)=)[^&\s"']+/gi, `$1${REDACTED}`],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${REDACTED}`],
  // Mainland mobile numbers (with or without +86), landlines (0xx-xxxxxxx).
  [/(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}(?![0-9])/g, '[phone]'],
  [/(?<![0-9])0[0-9]{2,3}-[0-9]{7,8}(?![0-9])/g, '[phone]'],
  // A value a database error quotes back (MySQL: Duplicate entry '…' for key …).
  [/(Duplicate entry |Incorrect [a-z]+ value: |for column )'[^']*'/gi, `$1'${REDACTED}'`],
  // What people write: Chinese words do not belong in an English log (a name, a message, a result).
  [/[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+/g, '[zh]'],
];

/** A string as it may be logged. */
export function redactString(s: string): string {
  let out = s;
  for (const secret of known) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  for (const [re, to] of PATTERNS) out = out.replace(re, to);
  return out;
}

function dropped(key: string): boolean {
  const k = key.toLowerCase();
  return DROP.has(k) || DROP_PART.some((p) => k.includes(p));
}

/** An error as pino serialized it ({ type, message, stack, …every enumerable field }), or an Error. */
const isErrorLike = (v: object): v is Error => v instanceof Error || (typeof (v as { stack?: unknown }).stack === 'string' && typeof (v as { message?: unknown }).message === 'string');

function redactValue(v: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof v === 'string') return redactString(v);
  if (v === null || typeof v !== 'object') return typeof v === 'function' || typeof v === 'symbol' ? undefined : v;
  if (seen.has(v) || depth > MAX_DEPTH) return '[…]';
  seen.add(v);
  if (isErrorLike(v)) return redactError(v, depth, seen);
  if (Buffer.isBuffer(v)) return `[${v.length} bytes]`;
  if (Array.isArray(v)) return v.slice(0, MAX_ITEMS).map((x) => redactValue(x, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = dropped(k) ? REDACTED : redactValue(x, depth + 1, seen);
  return out;
}

function redactError(e: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const src = e as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { type: typeof src.type === 'string' ? src.type : e.name || e.constructor?.name };
  for (const k of ERROR_FIELDS.slice(1)) if (src[k] !== undefined && (typeof src[k] === 'string' || typeof src[k] === 'number')) out[k] = redactValue(src[k], depth + 1, seen);
  if (e.cause !== undefined) out.cause = redactValue(e.cause, depth + 1, seen);
  return out;
}

/** A log line's fields, safe to write. */
export function redactFields(obj: Record<string, unknown>): Record<string, unknown> {
  return redactValue(obj, 0, new WeakSet()) as Record<string, unknown>;
}

/** One JSON log line as pino wrote it, safe to write (a line that is not JSON is redacted as text). */
export function redactLine(line: string): string {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return `${redactString(line.replace(/\n$/, ''))}\n`;
  }
  return `${JSON.stringify(obj && typeof obj === 'object' ? redactFields(obj as Record<string, unknown>) : redactValue(obj, 0, new WeakSet()))}\n`;
}
