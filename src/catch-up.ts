import { setTimeout as sleep } from 'node:timers/promises';
import { PlatformError } from './errors.js';
import type { Logger } from './logger.js';
import type { Platforms } from './platforms.js';
import type { CommandHandler, MissedMessage } from './ports/chat-platform.js';
import { retryDelayMs } from './ports/scheduler.js';
import type { SessionStore } from './ports/session-store.js';
import { roundSeconds, type Session } from './session.js';

/** Threads read at once while catching up: a few, so the platform's rate limits stay calm. */
const CONCURRENT_THREADS = 4;

/**
 * Reads of one thread before it is left to the next catch-up: waits of 1, 2, 4, 8 and 16 s between
 * them, or what a rate limit asks for.
 */
const READ_TRIES = 6;

export interface CatchUpOptions {
  readonly store: SessionStore;
  readonly platforms: Platforms;
  /** The core's command handler: each missed message is taken as the reply it would have been. */
  readonly handle: CommandHandler;
  readonly logger: Logger;
  /** Aborted when the process stops: a catch-up waiting to read again gives up. */
  readonly signal?: AbortSignal;
}

/**
 * Reads what the threads of `platform`'s running rounds received while nobody listened (the
 * process was down, or its gateway session is new, since `reconnectedAt`, epoch ms) and takes
 * each message, in order, as the reply it would have been, timed when it was sent, and tells the
 * person what they would have been told live. What is stored already is not taken again (a reply
 * is stored once per message id). A read that fails is tried again, after the wait a rate limit
 * asks for or a growing one, while the other threads go on. Never throws: a thread that still
 * cannot be read is logged and left to the next catch-up.
 */
export async function catchUp(
  o: CatchUpOptions,
  platform: string,
  reconnectedAt: number,
): Promise<void> {
  try {
    const queue = await o.store.running(platform);
    const lane = async () => {
      for (let session = queue.shift(); session && !o.signal?.aborted; session = queue.shift()) {
        await catchUpRound(o, session, reconnectedAt);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENT_THREADS }, lane));
  } catch (error) {
    o.logger.error('catch-up failed', { platform, error });
  }
}

async function catchUpRound(
  o: CatchUpOptions,
  session: Session,
  reconnectedAt: number,
): Promise<void> {
  const reader = o.platforms.find(session.thread);
  const missedIn = reader?.missed?.bind(reader);
  if (!reader || !missedIn) return;
  try {
    // The interviewer's lines are stored under our own keys; the person's under platform ids.
    // Read from the last one heard before the gap: replies heard live since the platform came
    // back (the lanes reach some rounds late) are later than what was missed.
    const heard = roundSeconds(session, reconnectedAt);
    const stored = await o.store.messages(session.id);
    const after = stored.findLast((m) => m.role !== 'interviewer' && m.at < heard)?.id;
    const missed = await readMissed(o, session, () => missedIn(session.thread, after));
    if (!missed || missed.length === 0) return;
    for (const message of missed) {
      const result = await o.handle({
        kind: 'reply',
        origin: {
          platform: session.platform,
          user: message.user,
          channel: session.channel,
          thread: session.thread,
        },
        messageId: message.messageId,
        text: message.text,
        sentAt: message.sentAt,
      });
      if (result.failed) throw new Error(`message ${message.messageId} was not stored`);
      // What the person would have been told live (a reply refused as too long, say), told now.
      if (result.card && reader.ephemeral) {
        await reader.ephemeral(session.thread, message.user, result.card).catch((error: unknown) =>
          o.logger.warn('catch-up: could not answer a missed reply', {
            session: session.id,
            error,
          }),
        );
      }
    }
    o.logger.info('caught up on missed replies', { session: session.id, messages: missed.length });
  } catch (error) {
    if (o.signal?.aborted) return;
    o.logger.warn('catch-up of a round failed', { session: session.id, error });
  }
}

/**
 * The missed messages of a round, `read` up to `READ_TRIES` times: a platform that is rate-limiting
 * or briefly failing is asked again once it may be. A refusal (the bot was taken out of the
 * channel) is not asked again.
 */
async function readMissed(
  o: CatchUpOptions,
  session: Session,
  read: () => Promise<MissedMessage[] | undefined>,
): Promise<MissedMessage[] | undefined> {
  for (let tries = 1; ; tries++) {
    try {
      return await read();
    } catch (error) {
      const refused = error instanceof PlatformError && error.refusal !== undefined;
      if (refused || tries >= READ_TRIES) throw error;
      const wait = retryDelayMs(tries, error);
      o.logger.warn('catch-up: a thread could not be read; reading it again', {
        session: session.id,
        waitMs: wait,
        error,
      });
      await sleep(wait, undefined, o.signal ? { signal: o.signal } : undefined);
    }
  }
}
