import fs from 'node:fs';
import path from 'node:path';
import type { RetentionPolicy } from '../domain/retention';
import { DINGTALK_VARS, Env, envSchema, WECOM_VARS } from './schema';

export interface WecomConfig {
  corpId: string;
  agentId: number;
  secret: string;
  token: string;
  encodingAesKey: string;
  timestampToleranceS: number;
  apiBase: string;
  /** Where page logins are sent (OAuth2 authorize, docs/interface.md#pages). */
  oauthBase: string;
}

export interface DingtalkConfig {
  appKey: string;
  appSecret: string;
  robotCode: string;
  cardTemplateId?: string;
  /** The apiSecret card callbacks are signed with (HTTP mode); generated and kept in the database when unset. */
  cardApiSecret?: string;
  mode: 'stream' | 'http';
  apiBase: string;
  oapiBase: string;
}

/**
 * Local-policy numbers the seeds leave to the township, from RESPONSE_WORKING_HOURS,
 * DEADLINE_WARN_WORKING_HOURS, UNRATED_CLOSE_WORKDAYS and APPEAL_WORKDAYS. The defaults equal the
 * constants the rules used before they were settings.
 */
export interface Policy {
  /** 响应率's limit, and how long a new request may stay untaken before it is chased (working ms). */
  responseWorkingMs: number;
  /** Warn the owner when the deadline is this close (working ms). */
  warnWithinMs: number;
  /** Working days after 办结 until an unanswered request closes as 未评价. */
  unratedWorkdays: number;
  /** Working days to answer a villager's 申诉. */
  appealWorkdays: number;
}

const HOUR_MS = 3600_000;
export const DEFAULT_POLICY: Policy = { responseWorkingMs: 2 * HOUR_MS, warnWithinMs: 4 * HOUR_MS, unratedWorkdays: 3, appealWorkdays: 3 };

export interface Config {
  port: number;
  databaseUrl: string;
  orgFile: string;
  calendarFile?: string;
  adminToken?: string;
  publicBaseUrl: string;
  /** Signs page sessions and links; unset: generated once and kept in the database. */
  sessionSecret?: string;
  logLevel: string;
  wecom?: WecomConfig;
  dingtalk?: DingtalkConfig;
  /** The sandbox platform runs when neither real platform is configured. */
  sandbox: boolean;
  /** Where villagers' photos, voice and files are kept (MEDIA_DIR). */
  mediaDir: string;
  /** SANDBOX_PUBLIC=1: the sandbox listens on every interface, not only 127.0.0.1. */
  sandboxPublic: boolean;
  policy: Policy;
  retention: RetentionPolicy;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`配置有误 / invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A group of variables that only makes sense whole: all set, or none. */
function wholeGroup(env: Record<string, unknown>, vars: readonly string[], what: string): string[] {
  const set = vars.filter((v) => env[v] !== undefined);
  if (set.length === 0 || set.length === vars.length) return [];
  const missing = vars.filter((v) => env[v] === undefined);
  return missing.map((v) => `${v}: missing — ${what} needs all of ${vars.join(', ')} (only ${set.join(', ')} set)`);
}

export function parseConfig(raw: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`),
    );
  }
  const env: Env = parsed.data;
  const problems = [
    ...wholeGroup(env, WECOM_VARS, 'WeCom'),
    ...wholeGroup(env, DINGTALK_VARS, 'DingTalk'),
  ];
  if (problems.length) throw new ConfigError(problems);

  const wecom: WecomConfig | undefined = env.WECOM_CORP_ID
    ? {
        corpId: env.WECOM_CORP_ID,
        agentId: Number(env.WECOM_AGENT_ID),
        secret: env.WECOM_SECRET!,
        token: env.WECOM_TOKEN!,
        encodingAesKey: env.WECOM_ENCODING_AES_KEY!,
        timestampToleranceS: env.WECOM_TIMESTAMP_TOLERANCE_S,
        apiBase: env.WECOM_API_BASE,
        oauthBase: env.WECOM_OAUTH_BASE,
      }
    : undefined;
  const dingtalk: DingtalkConfig | undefined = env.DINGTALK_APP_KEY
    ? {
        appKey: env.DINGTALK_APP_KEY,
        appSecret: env.DINGTALK_APP_SECRET!,
        robotCode: env.DINGTALK_ROBOT_CODE!,
        cardTemplateId: env.DINGTALK_CARD_TEMPLATE_ID,
        cardApiSecret: env.DINGTALK_CARD_API_SECRET,
        mode: env.DINGTALK_MODE,
        apiBase: env.DINGTALK_API_BASE,
        oapiBase: env.DINGTALK_OAPI_BASE,
      }
    : undefined;

  return {
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    orgFile: env.ORG_FILE,
    calendarFile: env.CALENDAR_FILE,
    adminToken: env.ADMIN_TOKEN,
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    sessionSecret: env.SESSION_SECRET,
    logLevel: env.LOG_LEVEL ?? 'info',
    wecom,
    dingtalk,
    sandbox: !wecom && !dingtalk,
    mediaDir: env.MEDIA_DIR,
    sandboxPublic: env.SANDBOX_PUBLIC,
    policy: {
      responseWorkingMs: env.RESPONSE_WORKING_HOURS * HOUR_MS,
      warnWithinMs: env.DEADLINE_WARN_WORKING_HOURS * HOUR_MS,
      unratedWorkdays: env.UNRATED_CLOSE_WORKDAYS,
      appealWorkdays: env.APPEAL_WORKDAYS,
    },
    retention: {
      deliveriesDays: env.RETAIN_DELIVERIES_DAYS,
      failedDeliveriesDays: env.RETAIN_FAILED_DELIVERIES_DAYS,
      outboxPayloadDays: env.RETAIN_OUTBOX_PAYLOAD_DAYS,
      sandboxDays: env.RETAIN_SANDBOX_DAYS,
      jobRunsDays: env.RETAIN_JOB_RUNS_DAYS,
    },
  };
}

/**
 * Reads `.env` from the working directory (if present) into `process.env` without overriding
 * what the shell already set, then parses the whole environment.
 */
export function loadConfig(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Config {
  const file = path.join(cwd, '.env');
  if (env === process.env && fs.existsSync(file)) process.loadEnvFile(file);
  return parseConfig(env);
}

export function enabledPlatforms(config: Config): string[] {
  return [config.wecom && 'wecom', config.dingtalk && 'dingtalk', config.sandbox && 'sandbox'].filter(
    (p): p is string => Boolean(p),
  );
}
