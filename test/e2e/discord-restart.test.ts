import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FakeMessage } from '../fakes/discord/index.js';
import { startTestProcess } from '../integration/test-process.js';
import {
  banners,
  type DiscordRig,
  isScorecard,
  PROMPT_ID,
  startDiscordRig,
  startRound,
} from './discord-harness.js';

const TIME_SCALE = 0.02; // a 5-minute round in 6 s

describe('a Discord bot killed mid-round and started again', () => {
  let rig: DiscordRig;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    rig = await startDiscordRig({ timeScale: TIME_SCALE, bot: false });
  });

  /** Kills every bot still running, so the next test starts with none listening. */
  async function killBots(): Promise<void> {
    for (const child of children.splice(0)) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }

  afterEach(killBots);

  afterAll(async () => {
    await killBots();
    await rig?.close();
  });

  /** Starts the bot as a child process and resolves once its gateway session is ready. */
  async function startBot(): Promise<ChildProcess> {
    const discord = rig.config.discord;
    const { child, ready } = startTestProcess(join(import.meta.dirname, 'discord-bot-process.ts'), {
      MOCKDESIGN_REDIS_PREFIX: rig.prefix,
      MOCKDESIGN_TIME_SCALE: String(TIME_SCALE),
      DISCORD_TOKEN: discord?.token,
      DISCORD_APP_ID: discord?.appId,
      DISCORD_GUILD_ID: discord?.guildId,
      DISCORD_API_URL: discord?.apiUrl,
    });
    children.push(child);
    expect(await ready).toContain('ready');
    return child;
  }

  it('still completes the round, with every reply (those sent while it was down read back), and posts nothing twice', async () => {
    const identifies = () => rig.fake.gatewayReceived.filter((frame) => frame.op === 2).length;
    const first = await startBot();
    expect(identifies()).toBe(1);
    // 15 minutes: 18 s of wall time, long enough to restart a bot in the middle.
    const { threadId, cardId } = await startRound(rig.fake, { minutes: 15 });
    const candidate: FakeMessage[] = [
      rig.fake.sendMessage({
        channelId: threadId,
        content:
          'I hypothesize that a groundedness reranker cuts unsupported claims by 15% on our 2,000-question benchmark versus the single-stage baseline.',
      }),
    ];

    // The candidate moves on; Discord takes the bot's "solution sketch" post, but the bot dies
    // before hearing back, so its outbox still holds a message Discord already shows.
    rig.fake.withholdNextResponse(`POST /channels/${threadId}/messages`);
    rig.fake.sendButton({ customId: 'mockdesign:next:framing', message: cardId });
    const withheld = await rig.fake.waitFor(() => rig.fake.calls.find((c) => c.withheld), {
      timeoutMs: 10_000,
    });
    first.kill('SIGKILL');
    await once(first, 'exit');
    // Said while no bot listens: read back from the thread when the new one is ready.
    candidate.push(
      rig.fake.sendMessage({
        channelId: threadId,
        content:
          'Sorry, lost my connection for a second: the metric is the human-graded unsupported-claim rate per answer.',
      }),
    );

    await startBot();
    expect(identifies()).toBe(2); // a new gateway session, not a resumed one
    candidate.push(
      rig.fake.sendMessage({
        channelId: threadId,
        content:
          'The control arm keeps the single-stage retriever; I toggle the reranker on half the traffic and measure the human-graded unsupported-claim rate.',
      }),
    );

    const scorecard = await rig.fake.waitForMessage(threadId, isScorecard, { timeoutMs: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 500)); // nothing late or twice afterwards

    // Every interviewer event once, in order: the timed ones fired by the new process, and the
    // withheld one (re-sent with the same nonce below: Discord hands back the message it had).
    const texts = banners(rig.fake, threadId).map((b) => b.text);
    expect(new Set(texts).size).toBe(texts.length);
    const rubric = rig.library.rubric;
    const expected = [
      rubric.phases[1]?.opening,
      rig.library.prompts.get(PROMPT_ID)?.pivot,
      rubric.phases[2]?.opening,
      rubric.closing.time,
    ];
    const positions = expected.map((text) => texts.findIndex((t) => t.startsWith(text ?? '-')));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(rig.fake.messagesIn(threadId).filter(isScorecard)).toEqual([scorecard]);

    const nonce = (withheld.body as { nonce?: string }).nonce;
    expect(nonce).toBeDefined();
    // The line the dead process never saw confirmed is posted again by the sweeper, with its nonce.
    const attempts = () =>
      rig.fake.calls.filter(
        (c) => c.method === 'POST' && (c.body as { nonce?: string } | undefined)?.nonce === nonce,
      );
    await rig.fake.waitFor(() => attempts().length >= 2, { timeoutMs: 40_000 });
    expect(rig.fake.messagesIn(threadId).filter((m) => m.nonce === nonce)).toHaveLength(1);

    // Replies from before, during and after the restart are all in the transcript, in the order
    // they were sent (the one read back is timed when it was sent, not when it was read).
    const session = await rig.store.findByThread(`discord:${rig.fake.guildId}:${threadId}`);
    expect(session?.status).toBe('done');
    const stored = await rig.store.messages(session?.id ?? '');
    const replies = stored.filter((m) => m.role === 'candidate').sort((a, b) => a.at - b.at);
    expect(replies.map((m) => m.id)).toEqual(candidate.map((m) => m.id));
  }, 60_000);

  /**
   * A round in which the candidate sends a kept reply and one with `marker` in it (the mistake),
   * both stored before the test goes on.
   */
  async function roundWithMistake(marker: string) {
    const { threadId, cardId } = await startRound(rig.fake, { minutes: 30 });
    const address = `discord:${rig.fake.guildId}:${threadId}`;
    const kept = rig.fake.sendMessage({
      channelId: threadId,
      content:
        'I hypothesize that a groundedness reranker cuts unsupported claims by 15% on our 2,000-question benchmark versus the single-stage baseline.',
    });
    const mistake = rig.fake.sendMessage({
      channelId: threadId,
      content: `I hypothesize a ${marker} reranker cuts unsupported claims by 20% versus the baseline.`,
    });
    const session = await vi.waitFor(
      async () => {
        const found = await rig.store.findByThread(address);
        const stored = found ? await rig.store.messages(found.id) : [];
        expect(stored.filter((m) => m.role === 'candidate')).toHaveLength(2);
        return found as NonNullable<typeof found>;
      },
      { timeout: 5_000 },
    );
    return { threadId, cardId, kept, mistake, session, marker };
  }

  /**
   * Deletes the mistake, sees it withdrawn, ends the round with `end` and checks that neither its
   * words nor a jump link to it are in anything the bot posted (the scorecard's quotes).
   */
  async function deleteAndScore(
    round: Awaited<ReturnType<typeof roundWithMistake>>,
    end: () => void,
  ) {
    const { threadId, kept, mistake, session, marker } = round;
    rig.fake.deleteMessage(mistake.id);
    await vi.waitFor(
      async () => {
        const stored = await rig.store.message(session.id, mistake.id);
        expect(stored).toMatchObject({ role: 'withdrawn', text: '', author: rig.fake.user.id });
      },
      { timeout: 5_000 },
    );
    end();
    await rig.fake.waitForMessage(threadId, isScorecard, { timeoutMs: 20_000 });
    const stored = await rig.store.messages(session.id);
    expect(stored.filter((m) => m.role === 'candidate').map((m) => m.id)).toEqual([kept.id]);
    const posted = JSON.stringify(rig.fake.messagesIn(threadId).filter((m) => m.author.bot));
    expect(posted).toContain(kept.id);
    expect(posted).not.toContain(marker);
    expect(posted).not.toContain(mistake.id);
  }

  it('withdraws a reply deleted after the restart, which the new client never saw (a partial message), and quotes it nowhere', async () => {
    await startBot();
    const round = await roundWithMistake('PASTEDBYMISTAKE');
    // A new client knows the thread (GUILD_CREATE lists it) but not the message it never saw.
    await killBots();
    await startBot();
    await deleteAndScore(round, () =>
      rig.fake.sendMessage({ channelId: round.threadId, content: 'end' }),
    );
  }, 60_000);

  it("reads a reply sent in its round's thread after the thread was archived and the bot restarted (the post unarchives it), and quotes it", async () => {
    await startBot();
    const round = await roundWithMistake('BEFOREARCHIVE');
    await killBots();
    rig.fake.archiveThread(round.threadId);
    await startBot();
    const late = rig.fake.sendMessage({
      channelId: round.threadId,
      content:
        'Scale check: 2,000 questions times 3 arms times 4 samples is 24k generations, a few GPU-hours per run.',
    });
    await vi.waitFor(
      async () => expect(await rig.store.message(round.session.id, late.id)).toBeDefined(),
      { timeout: 5_000 },
    );
    rig.fake.sendMessage({ channelId: round.threadId, content: 'end' });
    const card = await rig.fake.waitForMessage(round.threadId, isScorecard, { timeoutMs: 20_000 });
    expect(JSON.stringify(card)).toContain('24k generations');
  }, 60_000);

  it("withdraws a reply deleted in its round's thread after the thread was archived and the bot restarted (a thread the new client never saw), and quotes it nowhere", async () => {
    await startBot();
    const round = await roundWithMistake('ARCHIVEDMISTAKE');
    // The thread goes quiet and Discord archives it while the bot is down; the new client's
    // GUILD_CREATE lists active threads only, so it has never heard of the round's thread.
    await killBots();
    rig.fake.archiveThread(round.threadId);
    await startBot();
    const guildCreate = rig.fake.dispatched.filter((d) => d.event === 'GUILD_CREATE').at(-1);
    const listed = guildCreate?.data as { threads: { id: string }[] } | undefined;
    expect(listed?.threads.map((t) => t.id)).not.toContain(round.threadId);
    // Ended with the card's button, which works whether or not the client knows the thread.
    await deleteAndScore(round, () =>
      rig.fake.sendButton({ customId: 'mockdesign:end', message: round.cardId }),
    );
  }, 60_000);
});
