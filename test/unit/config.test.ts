import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';

describe('loadConfig', () => {
  it('defaults to a terminal-only setup at real time', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ timeScale: 1, retentionDays: 30, healthPort: 8080 });
    expect(config.slack).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads Slack over HTTP and over Socket Mode, Discord and OpenAI', () => {
    const base = { REDIS_URL: 'redis://127.0.0.1:6379', SLACK_BOT_TOKEN: 'xoxb-1' };
    expect(loadConfig({ ...base, SLACK_SIGNING_SECRET: 's', PORT: '8080' }).slack).toMatchObject({
      port: 8080,
      apiUrl: 'https://slack.com/api/',
    });
    expect(loadConfig({ ...base, SLACK_APP_TOKEN: 'xapp-1' }).slack?.appToken).toBe('xapp-1');
    const discord = loadConfig({
      REDIS_URL: base.REDIS_URL,
      DISCORD_TOKEN: 't',
      DISCORD_APP_ID: '1',
    });
    expect(discord.discord).toMatchObject({ token: 't', appId: '1' });
    expect(loadConfig({ OPENAI_API_KEY: 'k' }).openai).toMatchObject({ model: 'gpt-4o-mini' });
  });

  it('reads the health port, with 0 for any free port and an empty value as the default', () => {
    expect(loadConfig({ MOCKDESIGN_HEALTH_PORT: '9090' }).healthPort).toBe(9090);
    expect(loadConfig({ MOCKDESIGN_HEALTH_PORT: '0' }).healthPort).toBe(0);
    expect(loadConfig({ MOCKDESIGN_HEALTH_PORT: ' ' }).healthPort).toBe(8080);
  });

  it('reads MOCKDESIGN_ADMINS as a list of user ids', () => {
    expect(loadConfig({ MOCKDESIGN_ADMINS: ' U012AB3CD, 123456789012345678 ,' }).admins).toEqual([
      'U012AB3CD',
      '123456789012345678',
    ]);
    expect(loadConfig({}).admins).toEqual([]);
  });

  const bad: [Record<string, string>, RegExp][] = [
    [
      { MOCKDESIGN_ADMINS: 'U1, <@U2>' },
      /^MOCKDESIGN_ADMINS must be platform user ids separated by commas .*got "<@U2>"$/,
    ],
    [
      { MOCKDESIGN_TIME_SCALE: 'fast' },
      /^MOCKDESIGN_TIME_SCALE must be a number from 0\.0001 to 1000, got "fast"$/,
    ],
    [{ MOCKDESIGN_TIME_SCALE: '0' }, /^MOCKDESIGN_TIME_SCALE must be a number/],
    [{ PORT: '99999' }, /^PORT must be a port number from 0 to 65535/],
    [
      { MOCKDESIGN_HEALTH_PORT: '65536' },
      /^MOCKDESIGN_HEALTH_PORT must be a port number from 0 to 65535, got "65536"$/,
    ],
    [{ MOCKDESIGN_HEALTH_PORT: '-1' }, /^MOCKDESIGN_HEALTH_PORT must be a port number/],
    [{ MOCKDESIGN_HEALTH_PORT: '8080.5' }, /^MOCKDESIGN_HEALTH_PORT must be a port number/],
    [{ MOCKDESIGN_HEALTH_PORT: 'http' }, /^MOCKDESIGN_HEALTH_PORT must be a port number/],
    [
      { REDIS_URL: 'localhost:6379' },
      /^REDIS_URL must be a URL starting with redis:\/\/ or rediss:\/\//,
    ],
    [{ SLACK_API_URL: 'slack' }, /^SLACK_API_URL must be a URL/],
    [{ PORT: '3000.5' }, /^PORT must be a port number from 0 to 65535, got "3000.5"$/],
    [{ SLACK_SIGNING_SECRET: 's' }, /^SLACK_BOT_TOKEN is required/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }, /^REDIS_URL is required for Slack/],
    [
      { DISCORD_TOKEN: 't', REDIS_URL: 'redis://x' },
      /^DISCORD_APP_ID is required when DISCORD_TOKEN is set/,
    ],
  ];
  for (const [env, message] of bad) {
    it(`rejects ${JSON.stringify(env)} with one line naming the variable`, () => {
      const error = (() => {
        try {
          loadConfig(env);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    });
  }

  it('never puts a secret value in its error', () => {
    expect(() =>
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-secret-value', SLACK_SIGNING_SECRET: 'sig' }),
    ).toThrow(/^((?!xoxb-secret-value).)*$/);
  });

  it('takes a Slack bot token alone, for a worker that only posts', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', REDIS_URL: 'redis://x' });
    expect(config.slack).toMatchObject({ botToken: 'xoxb-1', signingSecret: undefined });
  });

  it('hides every configured secret from the log, whatever its shape', () => {
    const lines: string[] = [];
    loadConfig({
      DISCORD_TOKEN: 'plain-discord-token-1',
      DISCORD_APP_ID: '1',
      OPENAI_API_KEY: 'local-TOPSECRETOPENAIKEY',
      REDIS_URL: 'redis://:pa%40ss-word@127.0.0.1:6379',
    });
    const logger = createLogger({ write: (line) => lines.push(line) });
    logger.warn('HTTP 401: Incorrect API key provided: local-TOPSECRETOPENAIKEY', {
      token: 'plain-discord-token-1',
      url: 'redis://:pa%40ss-word@host',
      said: 'auth pa@ss-word refused',
    });
    const line = lines.join('');
    for (const secret of ['TOPSECRET', 'plain-discord-token-1', 'pa%40ss-word', 'pa@ss-word']) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain('Incorrect API key provided: [redacted]');
  });
});
