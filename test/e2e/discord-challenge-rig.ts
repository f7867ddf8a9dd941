// Shared set-up of the Discord tests of team challenges: a fake Discord whose guild has the
// person in it, and the Discord platform listening with a core that records every command.

import { vi } from 'vitest';
import { createDiscordPlatform, type DiscordPlatform } from '../../adapters/discord/index.js';
import { loadLibrary } from '../../rubric/load.js';
import type { Prompt } from '../../rubric/schema.js';
import type { Challenge } from '../../src/challenges/challenge.js';
import type { Command } from '../../src/commands/command.js';
import { createLogger } from '../../src/logger.js';
import type { Card } from '../../src/presentation/card.js';
import { challengeCard } from '../../src/presentation/challenge-cards.js';
import { present } from '../../src/presentation/present.js';
import { type FakeDiscord, type FakeMessage, startFakeDiscord } from '../fakes/discord/index.js';
import { PROMPT_ID } from './discord-harness.js';

/** The person who starts an attempt; a plain member of the guild from the start. */
export const PERSON = { id: '1300000000000000500', username: 'attempter' } as const;

/** The challenge the cards are about. */
export const CHALLENGE_ID = 'c7f3a9b2e1-42';

export interface ChallengeRig {
  readonly fake: FakeDiscord;
  readonly platform: DiscordPlatform;
  readonly prompt: Prompt;
  /** The address of the fake's channel. */
  readonly channel: string;
  /** Every command the platform handed to the core, in order. */
  readonly commands: readonly Command[];
  /** The first command of `kind` handed to the core after the first `from` ones. */
  nextCommand(kind: Command['kind'], from: number): Promise<Command>;
  /** The challenge card as the core draws it, with `attempts` so far. */
  challengeCard(attempts: number, status?: Challenge['status']): Card;
  /** The prompt card of a live round of `PERSON`, as the core draws it. */
  roundCard(): Card;
  /** Stops the platform and the fake. */
  close(): Promise<void>;
}

/** Starts the fake Discord and the platform, listening, with a recording core. */
export async function startChallengeRig(): Promise<ChallengeRig> {
  const fake = await startFakeDiscord({
    guilds: [
      { id: '1300000000000000100', channels: [{ id: '1300000000000000200' }], members: [PERSON] },
    ],
  });
  const library = await loadLibrary();
  const prompt = library.prompts.get(PROMPT_ID);
  if (!prompt) throw new Error(`no prompt ${PROMPT_ID}`);
  const platform = createDiscordPlatform(
    { token: fake.token, appId: fake.applicationId, guildId: fake.guildId, apiUrl: fake.apiUrl },
    { library, logger: createLogger({ write: () => {} }) },
  );
  const commands: Command[] = [];
  await platform.start(async (command) => {
    commands.push(command);
    return {};
  });
  const channel = `discord:${fake.guildId}:${fake.channelId}`;
  return {
    fake,
    platform,
    prompt,
    channel,
    commands,
    nextCommand: (kind, from) =>
      vi.waitFor(
        () => {
          const found = commands.slice(from).find((c) => c.kind === kind);
          if (!found) throw new Error(`no ${kind} command yet`);
          return found;
        },
        { timeout: 5_000 },
      ),
    challengeCard(attempts, status = 'open') {
      const openedAt = Date.now();
      const challenge: Challenge = {
        id: CHALLENGE_ID,
        platform: 'discord',
        channel,
        promptId: prompt.id,
        openedBy: fake.user.id,
        openedAt,
        deadline: openedAt + 24 * 3_600_000,
        hours: 24,
        timeScale: 1,
        status,
      };
      return challengeCard(challenge, prompt, attempts, 45);
    },
    roundCard: () =>
      present({
        kind: 'prompt',
        prompt,
        mode: 'live',
        minutes: 45,
        candidates: [PERSON.id],
        phases: [],
        surface: 'chat',
      }),
    async close() {
      await platform.stop();
      await fake.close();
    },
  };
}

/** The buttons on a message, in order. */
export function buttonsOf(
  message: FakeMessage | undefined,
): Array<{ custom_id?: string; label?: string }> {
  return (message?.components ?? []).flatMap(
    (row) =>
      (row as { components?: Array<{ custom_id?: string; label?: string }> }).components ?? [],
  );
}
