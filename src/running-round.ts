import type { Library } from '../rubric/load.js';
import type { Platforms } from './platforms.js';
import type { Session } from './session.js';

/**
 * A person's running round as it is named away from its thread (a refusal of other practice,
 * `status` in a channel): an async round runs for days, so they are told which round it is and
 * where to find it.
 */
export interface RunningRound {
  readonly session: Session;
  /** The title of its prompt. */
  readonly title: string;
  /** A link to its thread's first message, where the platform makes links. */
  readonly link?: string;
}

/** `session` with its prompt's title and a link to its thread. */
export async function runningRound(
  o: { readonly library: Library; readonly platforms: Platforms },
  session: Session,
): Promise<RunningRound> {
  const title = o.library.prompts.get(session.promptId)?.title ?? session.promptId;
  const link = session.opening && (await o.platforms.link(session.thread, session.opening));
  return { session, title, ...(link ? { link } : {}) };
}
