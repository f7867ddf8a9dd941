import { createDiscordPlatform } from '../adapters/discord/index.js';
import { inviteUrl } from '../adapters/discord/invite.js';
import { createSlackPlatform } from '../adapters/slack/index.js';
import type { Library } from '../rubric/load.js';
import type { Config } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import type { ChatPlatform } from '../src/ports/chat-platform.js';
import { type Runtime, startRuntime } from './runtime.js';
import { createScorer } from './scorer.js';

/** The platforms whose credentials are set; outbound-only ones for a worker process. */
export function configuredPlatforms(
  config: Config,
  library: Library,
  logger: Logger,
  listen: boolean,
): ChatPlatform[] {
  const platforms: ChatPlatform[] = [];
  if (config.slack) platforms.push(createSlackPlatform(config.slack, { listen, logger }));
  if (config.discord)
    platforms.push(createDiscordPlatform(config.discord, { listen, library, logger }));
  return platforms;
}

/**
 * `mockdesign serve` with platform credentials (a bot process that also runs timer jobs), or
 * `mockdesign worker` (timer jobs only, posting through outbound-only platforms).
 */
export async function serveChat(
  config: Config,
  library: Library,
  logger: Logger,
  role: 'bot' | 'worker',
  /** BullMQ job lock; see `RuntimeOptions.lockDurationMs` (default BullMQ's 30 s). */
  lockDurationMs?: number,
): Promise<Runtime> {
  const platforms = configuredPlatforms(config, library, logger, role === 'bot');
  if (platforms.length === 0) {
    throw new ConfigError(
      'SLACK_BOT_TOKEN or DISCORD_TOKEN is required for a worker: it posts what its jobs produce',
    );
  }
  const runtime = await startRuntime({
    config,
    library,
    scorer: createScorer(config, library, logger),
    logger,
    platforms,
    listen: role === 'bot',
    lockDurationMs,
  });
  if (role === 'bot' && config.discord) {
    logger.info('invite the Discord bot with', {
      url: inviteUrl(config.discord.appId, config.discord.guildId),
    });
  }
  return runtime;
}
