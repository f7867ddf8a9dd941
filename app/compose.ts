import { createDiscordPlatform, type DiscordPlatform } from '../adapters/discord/index.js';
import { inviteUrl } from '../adapters/discord/invite.js';
import { createSlackPlatform, type SlackPlatform } from '../adapters/slack/index.js';
import { type Library, loadLibrary } from '../rubric/load.js';
import type { Config } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import { startHealthServer } from './health.js';
import { checkLlm } from './llm-check.js';
import { type Runtime, startRuntime } from './runtime.js';
import { createScorer } from './scorer.js';

/** The platforms a process can serve. */
export type PlatformName = 'slack' | 'discord';

export interface ComposeOptions {
  /** `bot`: takes platform events and runs timer jobs; `worker`: timer jobs only, posting out. */
  readonly role: 'bot' | 'worker';
  readonly logger: Logger;
  /** Default: loaded from `config` (`MOCKDESIGN_RUBRIC_DIR`, `MOCKDESIGN_PROMPTS_DIR`). */
  readonly library?: Library;
  /** Serve only these of the configured platforms (a Discord shard serves Discord alone). */
  readonly only?: readonly PlatformName[];
  /** BullMQ job lock; see `RuntimeOptions.lockDurationMs` (default BullMQ's 30 s). */
  readonly lockDurationMs?: number;
  /**
   * Serve `/healthz` on `MOCKDESIGN_HEALTH_PORT` (`serve` and `worker` do; a Discord shard does
   * not, since its sibling shards would want the same port: `mockdesign shard` serves it for all).
   */
  readonly health?: boolean;
}

/** A platform a process can serve, which can check its credentials before it is used. */
export type ConfiguredPlatform = SlackPlatform | DiscordPlatform;

/** The configured platforms (credentials set), listening or outbound-only. */
export function configuredPlatforms(
  config: Config,
  library: Library,
  logger: Logger,
  listen: boolean,
  only: readonly PlatformName[] = ['slack', 'discord'],
): ConfiguredPlatform[] {
  const platforms: ConfiguredPlatform[] = [];
  if (config.slack && only.includes('slack')) {
    platforms.push(createSlackPlatform(config.slack, { listen, logger }));
  }
  if (config.discord && only.includes('discord')) {
    platforms.push(createDiscordPlatform(config.discord, { listen, library, logger }));
  }
  return platforms;
}

/**
 * The one place a chat process is put together from its configuration: the platforms whose
 * credentials are set, the scoring engine, the Redis store and BullMQ timers, and the core. Used
 * by `mockdesign serve`, `mockdesign worker`, every Discord shard and the tests.
 */
export async function composeApp(config: Config, o: ComposeOptions): Promise<Runtime> {
  const library = o.library ?? (await loadLibrary(config));
  const platforms = configuredPlatforms(config, library, o.logger, o.role === 'bot', o.only);
  if (platforms.length === 0) {
    const wanted = (o.only ?? ['slack', 'discord'])
      .map((p) => (p === 'slack' ? 'SLACK_BOT_TOKEN' : 'DISCORD_TOKEN'))
      .join(' or ');
    throw new ConfigError(
      `${wanted} is required: a ${o.role} process needs a platform to ${o.role === 'bot' ? 'serve' : 'post to'}`,
    );
  }
  const runtime = await startRuntime({
    config,
    library,
    scorer: createScorer(config, library, o.logger, undefined, true),
    logger: o.logger,
    platforms,
    listen: o.role === 'bot',
    lockDurationMs: o.lockDurationMs,
    // A worker posts with the same credentials a bot listens with: both ask the platform (and
    // the LLM server) at start, and a refusal stops the process with a line naming the variable.
    verify: async () => {
      for (const platform of platforms) await platform.verify();
      if (config.openai) await checkLlm(config.openai, (message) => o.logger.warn(message));
    },
  });
  if (o.role === 'bot' && config.discord && platforms.some((p) => p.name === 'discord')) {
    o.logger.info('invite the Discord bot with', {
      url: inviteUrl(config.discord.appId, config.discord.guildId),
    });
  }
  if (!o.health) return runtime;
  const health = await startHealthServer({
    port: config.healthPort,
    redis: () => runtime.redisAnswers(),
    platforms: () => runtime.platformsConnected(),
    logger: o.logger,
  }).catch(async (error: unknown) => {
    await runtime.stop();
    throw error;
  });
  o.logger.info('health check listening', { url: health.url });
  return {
    ...runtime,
    async stop() {
      await health.close();
      await runtime.stop();
    },
  };
}
