import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createDiscordPlatform } from '../../adapters/discord/index.js';
import { createSlackPlatform, encodeSlackAddress } from '../../adapters/slack/index.js';
import { createTerminalPlatform, TERMINAL_CHANNEL } from '../../adapters/terminal/index.js';
import { loadLibrary } from '../../rubric/load.js';
import { createLogger } from '../../src/logger.js';
import type { ChatPlatform } from '../../src/ports/chat-platform.js';
import { present } from '../../src/presentation/present.js';
import { refusalCard } from '../../src/presentation/replies.js';
import { plannedPhases } from '../../src/round/timeline.js';
import { startFakeDiscord } from '../fakes/discord/index.js';
import { plainTextOf, startFakeSlack } from '../fakes/slack/index.js';

/** A platform under test, with what a person would see through it. */
interface Subject {
  readonly platform: ChatPlatform;
  /** A channel address to open threads in. */
  readonly channel: string;
  /** A user id on the platform. */
  readonly user: string;
  /** Everything visible in the thread at `thread`, as text. */
  seen(thread: string): Promise<string>;
  /** Everything shown privately, as text. */
  privately(): Promise<string>;
  close(): Promise<void>;
}

const logger = createLogger({ write: () => {} });
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

const subjects: [string, () => Promise<Subject>][] = [
  [
    'terminal',
    async () => {
      const output = new PassThrough();
      let text = '';
      output.on('data', (d) => (text += d));
      const platform = createTerminalPlatform({ input: new PassThrough(), output });
      return {
        platform,
        channel: TERMINAL_CHANNEL,
        user: 'you',
        seen: async () => text,
        privately: async () => text,
        close: async () => {},
      };
    },
  ],
  [
    'slack',
    async () => {
      const fake = await startFakeSlack();
      const platform = createSlackPlatform(
        { botToken: fake.botToken, apiUrl: fake.apiUrl, port: 0, signingSecret: 's' },
        { listen: false, logger },
      );
      return {
        platform,
        channel: encodeSlackAddress({ team: fake.teamId, channel: 'C0CONFORM' }),
        user: 'U0CONFORM',
        seen: async () => fake.messages.map((m) => plainTextOf(m)).join('\n'),
        privately: async () => fake.ephemerals.map((e) => e.text).join('\n'),
        close: () => fake.close(),
      };
    },
  ],
  [
    'discord',
    async () => {
      const fake = await startFakeDiscord();
      const platform = createDiscordPlatform(
        { token: fake.token, appId: fake.applicationId, apiUrl: fake.apiUrl },
        { listen: false, logger },
      );
      const text = (channelId: string) =>
        fake
          .messagesIn(channelId)
          .map((m) => [m.content, ...(m.embeds ?? []).map((e) => JSON.stringify(e))].join(' '))
          .join('\n');
      return {
        platform,
        channel: `discord:${fake.guildId}:${fake.channelId}`,
        user: fake.user.id,
        seen: async (thread) => `${text(fake.channelId)}\n${text(thread.split(':')[2] ?? '')}`,
        privately: async () =>
          [...fake.messages.values()]
            .flat()
            .map((m) => m.content)
            .join('\n'),
        close: () => fake.close(),
      };
    },
  ],
];

describe.each(subjects)('the %s ChatPlatform', (name, make) => {
  it('opens a thread with the prompt card, posts into it, and speaks privately', async () => {
    const subject = await make();
    closers.push(() => subject.close());
    const { platform } = subject;
    expect(platform.name).toBe(name);
    const { rubric, prompts } = await loadLibrary();
    const prompt = prompts.get('alignment-feedback-loops');
    if (!prompt) throw new Error('prompt missing');
    const card = present({
      kind: 'prompt',
      prompt,
      mode: 'live',
      minutes: 45,
      candidates: [subject.user],
      phases: plannedPhases(rubric, 45),
      surface: name === 'terminal' ? 'terminal' : 'chat',
    });
    const { thread } = await platform.openThread(subject.channel, card);
    expect(thread.startsWith(`${name}:`)).toBe(true);
    expect(thread).not.toBe(subject.channel);
    expect(await subject.seen(thread)).toContain(prompt.title);

    const line = present({
      kind: 'interviewer',
      event: 'pivot',
      line: 'cue',
      text: 'The labelling budget was just cut by 80%. What changes?',
      phaseName: 'Solution sketch',
      minute: 25,
      remainingMinutes: 20,
      controlsFor: [subject.user],
    });
    const posted = await platform.post(thread, line, {
      key: 'conformance-pivot',
      redelivery: false,
    });
    expect(typeof posted.messageId).toBe('string');
    expect(await subject.seen(thread)).toContain('The labelling budget was just cut by 80%');

    await platform.ephemeral(
      thread,
      subject.user,
      refusalCard('Only the candidate can end this round.'),
    );
    expect(await subject.privately()).toContain('Only the candidate can end this round.');
    await platform.stop();
  });
});
