import { z } from 'zod';
import { ConfigError } from './errors.js';
import { hideInLogs } from './logger.js';

const optional = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const url = (protocols: string[]) =>
  optional.refine(
    (v) => {
      if (v === undefined) return true;
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

const number = (min: number, max: number, fallback: number) =>
  optional.transform((v, ctx) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a number from ${min} to ${max}, got "${v}"`,
      });
      return z.NEVER;
    }
    return n;
  });

/** A TCP port: a whole number from 0 (any free port) to 65535. */
const port = (fallback: number) =>
  optional.transform((v, ctx) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) {
      ctx.addIssue({
        code: 'custom',
        message: `must be a port number from 0 to 65535, got "${v}"`,
      });
      return z.NEVER;
    }
    return n;
  });

const whole = (min: number, max: number, fallback: number) =>
  number(min, max, fallback).refine((n) => Number.isInteger(n), {
    message: `must be a whole number from ${min} to ${max}`,
  });

const EnvSchema = z.object({
  REDIS_URL: url(['redis:', 'rediss:']),
  SLACK_BOT_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_API_URL: url(['http:', 'https:']),
  PORT: port(3000),
  DISCORD_TOKEN: optional,
  DISCORD_APP_ID: optional,
  DISCORD_GUILD_ID: optional,
  DISCORD_API_URL: url(['http:', 'https:']),
  OPENAI_API_KEY: optional,
  OPENAI_BASE_URL: url(['http:', 'https:']),
  MOCKDESIGN_MODEL: optional,
  MOCKDESIGN_TIME_SCALE: number(0.0001, 1000, 1),
  MOCKDESIGN_RUBRIC_DIR: optional,
  MOCKDESIGN_PROMPTS_DIR: optional,
  MOCKDESIGN_RETENTION_DAYS: number(1, 3650, 30),
  MOCKDESIGN_MAX_ROUNDS_PER_DAY: whole(1, 10_000, 20),
  MOCKDESIGN_MAX_REPLIES: whole(1, 100_000, 200),
  MOCKDESIGN_REDIS_PREFIX: optional.refine(
    (v) => v === undefined || /^[A-Za-z0-9_-]{1,32}$/.test(v),
    {
      message: 'must be 1 to 32 letters, digits, "-" or "_"',
    },
  ),
  MOCKDESIGN_HEALTH_PORT: port(8080),
  MOCKDESIGN_HOME: optional,
  MOCKDESIGN_ADMINS: optional.transform((v, ctx) => {
    const ids = (v ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    const bad = ids.find((id) => !/^[A-Za-z0-9_-]{1,64}$/.test(id));
    if (bad !== undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `must be platform user ids separated by commas (e.g. U012AB3CD,123456789012345678), got "${bad}"`,
      });
      return z.NEVER;
    }
    return ids;
  }),
});

/** Slack over HTTP (signing secret) or Socket Mode (app token). */
export interface SlackConfig {
  /** Bot token `xoxb-...` (`SLACK_BOT_TOKEN`). */
  readonly botToken: string;
  /** Request signing secret (`SLACK_SIGNING_SECRET`); required in HTTP mode. */
  readonly signingSecret?: string;
  /** App-level token `xapp-...` (`SLACK_APP_TOKEN`); when set, Socket Mode is used. */
  readonly appToken?: string;
  /** Web API base URL (`SLACK_API_URL`, default `https://slack.com/api/`). */
  readonly apiUrl: string;
  /** HTTP port for `/slack/events` (`PORT`, default 3000). */
  readonly port: number;
}

export interface DiscordConfig {
  /** Bot token (`DISCORD_TOKEN`). */
  readonly token: string;
  /** Application id (`DISCORD_APP_ID`). */
  readonly appId: string;
  /** Guild to register commands in instantly (`DISCORD_GUILD_ID`); global when unset. */
  readonly guildId?: string;
  /** REST base URL (`DISCORD_API_URL`, default Discord's). */
  readonly apiUrl?: string;
}

export interface OpenAIConfig {
  /** `OPENAI_API_KEY`. */
  readonly apiKey: string;
  /** `OPENAI_BASE_URL`: any OpenAI-compatible server; default OpenAI's. */
  readonly baseUrl?: string;
  /** `MOCKDESIGN_MODEL`, default `gpt-4o-mini`. */
  readonly model: string;
}

/** The whole configuration, parsed once at start and frozen. */
export interface Config {
  /** `REDIS_URL`: sessions and timers live in Redis when set; required for Slack and Discord. */
  readonly redisUrl?: string;
  readonly slack?: SlackConfig;
  readonly discord?: DiscordConfig;
  readonly openai?: OpenAIConfig;
  /** `MOCKDESIGN_TIME_SCALE` (default 1): multiplies every duration; 0.01 runs 45 min in 27 s. */
  readonly timeScale: number;
  /** `MOCKDESIGN_RUBRIC_DIR`: a folder with `rubric.yaml` replacing the default rubric. */
  readonly rubricDir?: string;
  /** `MOCKDESIGN_PROMPTS_DIR`: a folder of prompt files added to the library (same id replaces). */
  readonly promptsDir?: string;
  /** `MOCKDESIGN_RETENTION_DAYS` (default 30): how long finished rounds are kept. */
  readonly retentionDays: number;
  /** `MOCKDESIGN_MAX_ROUNDS_PER_DAY` (default 20): rounds one person may start in 24 hours. */
  readonly maxRoundsPerDay?: number;
  /** `MOCKDESIGN_MAX_REPLIES` (default 200): replies one round takes. */
  readonly maxReplies?: number;
  /**
   * `MOCKDESIGN_REDIS_PREFIX` (default `md`): prefix of every Redis key and BullMQ queue, so
   * several deployments can share one Redis.
   */
  readonly redisPrefix: string;
  /**
   * `MOCKDESIGN_HEALTH_PORT` (default 8080): port of the health server (`GET /healthz`: Redis and
   * every platform's connection); 0 picks a free port (tests).
   */
  readonly healthPort: number;
  /**
   * `MOCKDESIGN_ADMINS` (default none): platform user ids, comma-separated, who may manage every
   * team-challenge schedule besides workspace and server admins.
   */
  readonly admins?: readonly string[];
  /**
   * `MOCKDESIGN_HOME` (default: the platform's user data folder, e.g. `~/.local/share/mockdesign`):
   * where terminal rounds are kept.
   */
  readonly home?: string;
}

/**
 * Parses the environment; throws one `ConfigError` naming the first bad variable. The tokens,
 * keys and Redis password it holds are hidden from every log line from then on.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`${name} ${issue?.message ?? 'is invalid'}`);
  }
  const e = parsed.data;
  hideInLogs(
    e.SLACK_BOT_TOKEN,
    e.SLACK_SIGNING_SECRET,
    e.SLACK_APP_TOKEN,
    e.DISCORD_TOKEN,
    e.OPENAI_API_KEY,
    ...(e.REDIS_URL ? passwordOf(e.REDIS_URL) : []),
  );
  const need = (name: string, when: string) => {
    throw new ConfigError(`${name} is required ${when}`);
  };

  let slack: SlackConfig | undefined;
  if (e.SLACK_BOT_TOKEN) {
    // A worker posts with the bot token alone; a listening process needs the signing secret or
    // the app token too, and says so when it starts (`createBoltApp`).
    slack = {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL ?? 'https://slack.com/api/',
      port: e.PORT,
    };
  } else if (e.SLACK_APP_TOKEN || e.SLACK_SIGNING_SECRET) {
    need('SLACK_BOT_TOKEN', 'when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set');
  }

  let discord: DiscordConfig | undefined;
  if (e.DISCORD_TOKEN) {
    if (!e.DISCORD_APP_ID) need('DISCORD_APP_ID', 'when DISCORD_TOKEN is set');
    discord = {
      token: e.DISCORD_TOKEN,
      appId: e.DISCORD_APP_ID as string,
      guildId: e.DISCORD_GUILD_ID,
      apiUrl: e.DISCORD_API_URL,
    };
  } else if (e.DISCORD_APP_ID || e.DISCORD_GUILD_ID) {
    need('DISCORD_TOKEN', 'when DISCORD_APP_ID or DISCORD_GUILD_ID is set');
  }

  if ((slack || discord) && !e.REDIS_URL) {
    need('REDIS_URL', `for ${slack ? 'Slack' : 'Discord'} (rounds and timers live in Redis)`);
  }

  const openai: OpenAIConfig | undefined = e.OPENAI_API_KEY
    ? {
        apiKey: e.OPENAI_API_KEY,
        baseUrl: e.OPENAI_BASE_URL,
        model: e.MOCKDESIGN_MODEL ?? 'gpt-4o-mini',
      }
    : undefined;

  return Object.freeze({
    redisUrl: e.REDIS_URL,
    slack: slack && Object.freeze(slack),
    discord: discord && Object.freeze(discord),
    openai: openai && Object.freeze(openai),
    timeScale: e.MOCKDESIGN_TIME_SCALE,
    rubricDir: e.MOCKDESIGN_RUBRIC_DIR,
    promptsDir: e.MOCKDESIGN_PROMPTS_DIR,
    retentionDays: e.MOCKDESIGN_RETENTION_DAYS,
    maxRoundsPerDay: e.MOCKDESIGN_MAX_ROUNDS_PER_DAY,
    maxReplies: e.MOCKDESIGN_MAX_REPLIES,
    redisPrefix: e.MOCKDESIGN_REDIS_PREFIX ?? 'md',
    healthPort: e.MOCKDESIGN_HEALTH_PORT,
    admins: Object.freeze([...(e.MOCKDESIGN_ADMINS ?? [])]),
    home: e.MOCKDESIGN_HOME,
  });
}

/** The password in a Redis URL, as written there and decoded. */
function passwordOf(url: string): string[] {
  const { password } = new URL(url);
  try {
    return [password, decodeURIComponent(password)];
  } catch {
    return [password];
  }
}
