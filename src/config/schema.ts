import { z } from 'zod';

/**
 * The one schema over the environment (docs/interface.md#environment). Every variable the product reads is here;
 * `.env.example` documents the same list. A bad value stops start with a message naming the variable.
 */

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const url = (fallback: string) =>
  optionalString.pipe(
    z
      .string()
      .url('must be an absolute URL such as https://example.com')
      .optional(),
  ).transform((v) => (v ?? fallback).replace(/\/+$/, ''));

/** A MySQL/MariaDB URL with a host and a database name (without one, migrations fail much later). */
function isMysqlUrl(v: string): boolean {
  if (!/^(mysql|mariadb):\/\//.test(v)) return false;
  try {
    const u = new URL(v);
    return u.hostname !== '' && /^\/[^/]+$/.test(u.pathname);
  } catch {
    return false;
  }
}

const databaseUrl = optionalString
  .transform((v) => v ?? 'sqlite:./data/minqing.sqlite')
  .refine((v) => /^sqlite:.+/.test(v) || isMysqlUrl(v), {
    message: 'must be sqlite:PATH or mysql://user:pass@host:port/db',
  });

/** Digits only: Number() would also take "1e3", "0x50" or "3.0". */
const wholeNumber = (fallback: number) => optionalString.transform((v) => (v === undefined ? fallback : /^\d+$/.test(v) ? Number(v) : NaN));

const port = wholeNumber(3000).refine((n) => Number.isInteger(n) && n >= 0 && n <= 65535, { message: 'must be a port number 0–65535' });

const nonNegativeInt = (fallback: number) => wholeNumber(fallback).refine((n) => Number.isInteger(n) && n >= 0, { message: 'must be a whole number ≥ 0' });

/** A whole number in [min, max] (the local-policy settings below). */
const between = (fallback: number, min: number, max: number, unit: string) =>
  wholeNumber(fallback).refine((n) => Number.isInteger(n) && n >= min && n <= max, { message: `must be a whole number of ${unit} from ${min} to ${max}` });

const encodingAesKey = optionalString.refine((v) => v === undefined || /^[A-Za-z0-9+/]{43}$/.test(v), {
  message: 'must be the 43-character EncodingAESKey from the WeCom console',
});

const agentId = optionalString.refine((v) => v === undefined || /^\d+$/.test(v), {
  message: 'must be the numeric AgentId of the WeCom app',
});

export const envSchema = z.object({
  PORT: port,
  DATABASE_URL: databaseUrl,
  ORG_FILE: optionalString.transform((v) => v ?? 'org.example.json'),
  CALENDAR_FILE: optionalString,
  ADMIN_TOKEN: optionalString.refine((v) => v === undefined || v.length >= 8, {
    message: 'must be at least 8 characters',
  }),
  PUBLIC_BASE_URL: optionalString.pipe(z.string().url('must be an absolute URL').optional()),
  SESSION_SECRET: optionalString.refine((v) => v === undefined || v.length >= 16, { message: 'must be at least 16 characters' }),
  /** The sandbox (no credentials set) listens on 127.0.0.1 only; 1 opens it on every interface. */
  SANDBOX_PUBLIC: optionalString.pipe(z.enum(['0', '1'], { message: 'must be 0 or 1' }).optional()).transform((v) => v === '1'),
  LOG_LEVEL: optionalString.pipe(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  ),

  WECOM_CORP_ID: optionalString,
  WECOM_AGENT_ID: agentId,
  WECOM_SECRET: optionalString,
  WECOM_TOKEN: optionalString,
  WECOM_ENCODING_AES_KEY: encodingAesKey,
  WECOM_TIMESTAMP_TOLERANCE_S: nonNegativeInt(300),
  WECOM_API_BASE: url('https://qyapi.weixin.qq.com'),
  WECOM_OAUTH_BASE: url('https://open.weixin.qq.com'),

  DINGTALK_APP_KEY: optionalString,
  DINGTALK_APP_SECRET: optionalString,
  DINGTALK_ROBOT_CODE: optionalString,
  DINGTALK_CARD_TEMPLATE_ID: optionalString,
  /** HTTP mode: the apiSecret registered for card callbacks (they are signed with it); generated and kept in the database when unset. */
  DINGTALK_CARD_API_SECRET: optionalString.refine((v) => v === undefined || v.length >= 16, { message: 'must be at least 16 characters' }),
  DINGTALK_MODE: optionalString.pipe(z.enum(['stream', 'http']).optional()).transform((v) => v ?? 'stream'),
  DINGTALK_API_BASE: url('https://api.dingtalk.com'),
  DINGTALK_OAPI_BASE: url('https://oapi.dingtalk.com'),

  /** Where villagers' photos, voice and files are kept (docs/interface.md#media), by content hash. */
  MEDIA_DIR: optionalString.transform((v) => v ?? './data/media'),
  // Retention (docs/interface.md#security-and-retention): days, purged daily by the retention job.
  RETAIN_DELIVERIES_DAYS: between(30, 1, 3650, 'days'),
  RETAIN_FAILED_DELIVERIES_DAYS: between(180, 1, 3650, 'days'),
  RETAIN_OUTBOX_PAYLOAD_DAYS: between(30, 1, 3650, 'days'),
  RETAIN_SANDBOX_DAYS: between(30, 1, 3650, 'days'),
  RETAIN_JOB_RUNS_DAYS: between(180, 1, 3650, 'days'),

  // Local policy the seeds do not fix; the defaults are what the product has always done.
  /** 响应: a new request should be accepted within this many working hours (响应率; untaken requests are chased after it). */
  RESPONSE_WORKING_HOURS: between(2, 1, 45, 'working hours'),
  /** 临期提醒: the owner is warned when this many working hours are left before the deadline. */
  DEADLINE_WARN_WORKING_HOURS: between(4, 1, 45, 'working hours'),
  /** 未评价: a resolved request the villager has not rated closes after this many working days. */
  UNRATED_CLOSE_WORKDAYS: between(3, 1, 30, 'working days'),
  /** 申诉: a villager's appeal against an approved refusal is to be answered within this many working days. */
  APPEAL_WORKDAYS: between(3, 1, 30, 'working days'),
});

export type Env = z.infer<typeof envSchema>;

export const WECOM_VARS = [
  'WECOM_CORP_ID',
  'WECOM_AGENT_ID',
  'WECOM_SECRET',
  'WECOM_TOKEN',
  'WECOM_ENCODING_AES_KEY',
] as const;

export const DINGTALK_VARS = ['DINGTALK_APP_KEY', 'DINGTALK_APP_SECRET', 'DINGTALK_ROBOT_CODE'] as const;
