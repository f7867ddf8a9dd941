import type { Clock } from './clock.js';
import type { PlatformRefusal } from './errors.js';
import type { Logger } from './logger.js';
import { sendDirect } from './outbox-delivery.js';
import type { Platforms } from './platforms.js';
import type { SessionStore } from './ports/session-store.js';
import { threadRefusedCard } from './presentation/round-replies.js';
import { finish } from './round/transitions.js';
import type { RoundSteps } from './round-steps.js';
import type { Session } from './session.js';

/**
 * The round's thread refuses the bot's posts for good (its channel archived, the bot removed):
 * its candidates are told once in their direct messages, and a running round is ended, since
 * nothing more can be asked or heard there; its scorecard follows them there
 * (`OutboxDelivery`). Told before the round is ended, so the closing line, refused in turn,
 * finds them told. Noted as told only once sent: a failure, or a process that dies while
 * sending, leaves it to the refused message's next try, whose redelivery the platform shows
 * once.
 */
export async function endRefusedRound(
  o: {
    readonly store: SessionStore;
    readonly platforms: Platforms;
    readonly clock: Clock;
    readonly logger: Logger;
    readonly steps: RoundSteps;
  },
  session: Session,
  refusal: PlatformRefusal,
): Promise<void> {
  const now = o.clock.now();
  const current = await o.store.get(session.id);
  if (current && !current.toldRefused) {
    const card = threadRefusedCard(
      o.steps.context(current).prompt.title,
      refusal,
      current.status === 'active',
    );
    for (const user of current.candidates) {
      await sendDirect(o.platforms, o.logger, current, user, card, {
        key: `${current.id}-refused-${user}`,
        redelivery: true,
        since: now,
      });
    }
    await o.store.update(session.id, (s) =>
      s.toldRefused ? undefined : { ...s, toldRefused: true },
    );
  }
  const ended = await o.steps.transition(session.id, (s) =>
    finish(o.steps.context(s), s, now, 'early'),
  );
  if (ended) o.logger.warn('round ended: its thread refuses posts', { session: session.id });
}
