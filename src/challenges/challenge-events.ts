/**
 * The events of a team challenge's timers. They run on the challenge's platform (each one posts or
 * edits a message), and their keys make deterministic timer ids (`{challengeId}-{key}`).
 */
export type ChallengeEvent =
  /** The deadline: no more attempts; the leaderboard is posted. */
  | { readonly kind: 'close' }
  /** The card shows the count of attempts, after the n-th one started. */
  | { readonly kind: 'count'; readonly n: number }
  /**
   * An attempt finished after the deadline, or was deleted (`forget`): the leaderboard is edited
   * to take it in, or to leave it out.
   */
  | { readonly kind: 'board'; readonly attempt: string }
  /** A schedule's occurrence: its channel's challenge opens (the timer's id is the schedule's). */
  | { readonly kind: 'occurrence' };

/** The kinds above, for telling a challenge event from a round's. */
export const CHALLENGE_EVENT_KINDS: ReadonlySet<string> = new Set([
  'close',
  'count',
  'board',
  'occurrence',
]);

/** Whether `event` is a challenge's. */
export function isChallengeEvent(event: { readonly kind: string }): event is ChallengeEvent {
  return CHALLENGE_EVENT_KINDS.has(event.kind);
}

/** The event's key: `close`, `count-3`, `board-r12ab`, `occurrence`. */
export function challengeEventKey(event: ChallengeEvent): string {
  switch (event.kind) {
    case 'close':
    case 'occurrence':
      return event.kind;
    case 'count':
      return `count-${event.n}`;
    case 'board':
      return `board-${event.attempt}`;
  }
}
