/**
 * The events a round's timers carry, typed: nothing parses an event back out of a string. Each
 * has a key, unique within its round, used in timer ids (`{sessionId}-{key}`), in the session's
 * list of fired events and in outbox keys.
 */
export type RoundEvent =
  /** A phase opens (not the first: it opens at the start). */
  | { readonly kind: 'phase'; readonly phase: string }
  /** A timed interviewer cue of the rubric (`events:` in rubric.yaml), by its id. */
  | { readonly kind: 'cue'; readonly id: string }
  /** Time is up. */
  | { readonly kind: 'end' }
  /**
   * The n-th technology probe (1-based), due at round second `at` (its `Probe.at`). A timer
   * scheduled for a reply that was then not stored carries another `at` than the probe a resend
   * brings, so it neither stands in for that probe's timer nor asks it early. Timers scheduled
   * before probes carried `at` have none, and ask the n-th probe whenever it falls due.
   */
  | { readonly kind: 'probe'; readonly n: number; readonly at?: number }
  /**
   * A nudge of an async round that has been quiet since the candidate's n-th move: a reply, or a
   * `next` that opened a phase, made at round second `at` (0: the start). A timer scheduled for a
   * reply that was then not stored names another `at` than the resend's, so it neither stands in
   * for that nudge's timer nor nudges early. Timers scheduled before `next` counted carry the
   * reply count, which is the same number while no `next` has been counted; those scheduled
   * before nudges carried `at` have none, and nudge whenever the n-th move was the last.
   */
  | { readonly kind: 'nudge'; readonly n: number; readonly at?: number }
  /** The finished round is scored. */
  | { readonly kind: 'score' }
  /**
   * The round's outbox entries `keys` are posted, in order, by a process that serves the round's
   * platform (the messages one transition decided).
   */
  | {
      readonly kind: 'post';
      readonly keys: readonly string[];
      /** A post tried before (it may have reached the platform): every try is a redelivery. */
      readonly retry?: boolean;
    };

/**
 * Ids a rubric cue may not take, because keys of other events look like them: `end`, `score`,
 * and anything starting with `phase-`, `probe-`, `nudge-` or `post-`. The rubric loader rejects
 * them.
 */
export const RESERVED_CUE_IDS = ['end', 'score'] as const;
export const RESERVED_CUE_PREFIXES = ['phase-', 'probe-', 'nudge-', 'post-'] as const;

/** Whether a rubric cue id would collide with another event's key. */
export function isReservedCueId(id: string): boolean {
  return (
    (RESERVED_CUE_IDS as readonly string[]).includes(id) ||
    RESERVED_CUE_PREFIXES.some((prefix) => id.startsWith(prefix))
  );
}

/**
 * A round second as timer ids and the checks when timers fire read it (a probe's due time, the
 * move a nudge waits from): whole milliseconds, so the same time read back from JSON always
 * compares equal.
 */
export function roundMs(at: number): number {
  return Math.round(at * 1000);
}

/** The event's key within its round: `phase-sketch`, `pivot`, `end`, `probe-2`, `nudge-0`, `score`. */
export function eventKey(event: RoundEvent): string {
  switch (event.kind) {
    case 'phase':
      return `phase-${event.phase}`;
    case 'cue':
      return event.id;
    case 'end':
      return 'end';
    case 'probe':
      return `probe-${event.n}`;
    case 'nudge':
      return `nudge-${event.n}`;
    case 'score':
      return 'score';
    case 'post':
      return `post-${event.keys[0] ?? ''}`;
  }
}
