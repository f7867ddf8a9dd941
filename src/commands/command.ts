import type { ScheduleRule } from '../challenges/schedule-rule.js';
import type { Card } from '../presentation/card.js';
import type { DrillKind } from '../round/drills.js';

/** Who sent a command, and from where. Addresses are opaque; their scheme is the platform. */
export interface Origin {
  /** Platform name, e.g. `slack`. */
  readonly platform: string;
  /** Platform user id. */
  readonly user: string;
  /** Address of the channel the command came from. */
  readonly channel: string;
  /** Address of the thread the command came from, when it came from one. */
  readonly thread?: string;
  /**
   * The platform said with the event that this person manages the server or channel (Discord:
   * Manage Server or Manage Channels); undefined when the event does not say (the core may ask
   * the platform's `person`).
   */
  readonly manager?: boolean;
}

/** A core command: what adapters turn platform events into. */
export type Command =
  | {
      readonly kind: 'start';
      readonly origin: Origin;
      /**
       * A prompt id, `random`, `adaptive` (one stressing the person's weakest criterion), or
       * undefined for a random prompt.
       */
      readonly promptId?: string;
      /** Round length in minutes; the rubric's length when undefined. */
      readonly minutes?: number;
      readonly mode: 'live' | 'async';
      /**
       * An async round's IANA time zone as the person gave it (`--tz`): its nudges wait out the
       * night there. When undefined, the zone their platform or their reminder knows, if any.
       */
      readonly timeZone?: string;
    }
  | {
      /**
       * A message in a round's thread. `origin.thread` is the thread's address; for a plain
       * message of a direct conversation with the bot (Slack), the conversation's address: it
       * counts when a round there takes plain messages (a challenge attempt), else it is ignored.
       */
      readonly kind: 'reply';
      readonly origin: Origin & { readonly thread: string };
      /** Platform message id: a message is stored once per id. */
      readonly messageId: string;
      readonly text: string;
      /** Files or images attached to it, which are not read (none when absent). */
      readonly attachments?: number;
      /** When it was sent (epoch ms), for a message read late (caught up); now when absent. */
      readonly sentAt?: number;
    }
  | {
      /**
       * A message of a round's thread was deleted on the platform, by its author or a moderator:
       * an answer stored under its id is withdrawn, so it is neither scored nor quoted. The
       * platform may not say who wrote it (Discord does not), so `origin.user` may be empty.
       */
      readonly kind: 'withdraw';
      readonly origin: Origin & { readonly thread: string };
      readonly messageId: string;
    }
  | {
      /**
       * A person edited a message of a round's thread. The transcript keeps what was first sent
       * (as in a live interview); the candidate is told so once a round.
       */
      readonly kind: 'edited';
      readonly origin: Origin & { readonly thread: string };
      readonly messageId: string;
    }
  | SimpleCommand
  | {
      /** Moves the round on to its next phase; from its last phase, ends it. */
      readonly kind: 'next';
      readonly origin: Origin;
      /**
       * Pressed as a Next phase button (absent when typed), with the phase the button was posted
       * in (`phase`: its control's value; undefined for a button posted before buttons carried
       * it). A press moves the round on only from that phase, and one of unknown phase never from
       * the last phase, where it would end the round unasked (see `stalePress`).
       */
      readonly button?: { readonly phase?: string };
    }
  | {
      /** Ends the round now; it is scored on what was said. */
      readonly kind: 'end';
      readonly origin: Origin;
      /**
       * The candidate's answer was prepared and given all at once (input piped into the
       * terminal), so the round's clock says nothing about it: the round is scored as one that
       * ran its whole length, with no early end held against it. A live `end` when absent.
       */
      readonly prepared?: boolean;
    }
  | {
      /**
       * Practice reminders: set one on a rule (in the person's time zone unless given), snooze
       * it for some days, or turn it off.
       */
      readonly kind: 'remind';
      readonly origin: Origin;
      readonly action:
        | { readonly kind: 'set'; readonly rule: ScheduleRule; readonly timeZone?: string }
        | { readonly kind: 'snooze'; readonly days: number }
        | { readonly kind: 'off' };
    }
  | {
      /** A short timed drill on one criterion. */
      readonly kind: 'drill';
      readonly origin: Origin;
      readonly drill: DrillKind;
    }
  | {
      /** Opens a team challenge in the channel now, open for `hours`. */
      readonly kind: 'challenge';
      readonly origin: Origin;
      /** A prompt id, `random` or `adaptive`; random when undefined. */
      readonly promptId?: string;
      readonly hours: number;
    }
  | {
      /** Makes the channel's challenge repeat on a rule. */
      readonly kind: 'schedule';
      readonly origin: Origin;
      readonly rule: ScheduleRule;
      /** IANA time zone; the person's own (where the platform knows it) or UTC when undefined. */
      readonly timeZone?: string;
      readonly hours: number;
      readonly promptId?: string;
    }
  | {
      /** Lists the channel's schedules, or cancels, pauses or resumes one. */
      readonly kind: 'schedules';
      readonly origin: Origin;
      readonly action: 'list' | 'cancel' | 'pause' | 'resume';
      /** The schedule, for every action but `list`. */
      readonly scheduleId?: string;
    }
  | {
      /** Whether the person is ranked on challenge leaderboards (per workspace or server). */
      readonly kind: 'leaderboard';
      readonly origin: Origin;
      readonly ranked: boolean;
    }
  | {
      /** Start my attempt at a team challenge (its card's button). */
      readonly kind: 'attempt';
      readonly origin: Origin;
      readonly challengeId: string;
    }
  | {
      /** Deletes every round of the user on this platform; only when `confirmed`. */
      readonly kind: 'forget';
      readonly origin: Origin;
      readonly confirmed: boolean;
    };

/** Commands that take no arguments. */
export interface SimpleCommand {
  readonly kind: 'status' | 'history' | 'help' | 'prompts' | 'export';
  readonly origin: Origin;
}

/** What the person who sent a command sees in return (privately where possible). */
export interface CommandResult {
  /** The answer, from the presentation model; none when there is nothing to say. */
  readonly card?: Card;
  /**
   * The command could not be carried out because of a failure on our side (not the user's
   * input); nothing of it was stored. Adapters that can ask the platform to redeliver do so.
   */
  readonly failed?: boolean;
}
