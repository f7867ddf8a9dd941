/** A team challenge and its schedules, as stored: plain data re-read by every process. */

/** One prompt for a whole channel, answered privately by each person until its deadline. */
export interface Challenge {
  /** Short id; contains no `:` so it can be part of job ids and button values. */
  readonly id: string;
  /** Platform name, the scheme of its addresses. */
  readonly platform: string;
  /** Address of the channel it was opened in. */
  readonly channel: string;
  readonly promptId: string;
  /** Platform user id of who opened it (for a scheduled one, who made the schedule). */
  readonly openedBy: string;
  /** The schedule that opened it, if one did. */
  readonly scheduleId?: string;
  /** Epoch ms. */
  readonly openedAt: number;
  /** Epoch ms at which attempts stop being taken and the leaderboard is posted. */
  readonly deadline: number;
  /** Hours it was opened for, as given (before `MOCKDESIGN_TIME_SCALE`). */
  readonly hours: number;
  /** `MOCKDESIGN_TIME_SCALE` at opening: attempt rounds run at the same scale. */
  readonly timeScale: number;
  readonly status: 'open' | 'closed';
  /** Address of the card's thread (where the leaderboard goes), once the card is posted. */
  readonly thread?: string;
  /** The card's message id, once posted. */
  readonly cardMessageId?: string;
  /** The leaderboard's message id, once posted. */
  readonly leaderboardMessageId?: string;
}

/** A channel's repeating challenge: a cron rule in a time zone. */
export interface Schedule {
  /** Short id people type (`schedule cancel s1a2b3c`); no `:`. */
  readonly id: string;
  readonly platform: string;
  /** Address of the channel its challenges open in. */
  readonly channel: string;
  /** Platform user id of who made it: they may pause, resume and cancel it. */
  readonly createdBy: string;
  /** The rule as written (`weekly mon 10:00`). */
  readonly rule: string;
  /** Its five-field cron pattern. */
  readonly pattern: string;
  /** IANA time zone the rule is read in. */
  readonly timeZone: string;
  readonly hours: number;
  /** A prompt id, `random` or `adaptive`; random when undefined. */
  readonly promptId?: string;
  readonly paused: boolean;
  /** Epoch ms. */
  readonly createdAt: number;
}

/** The workspace or server of an address: its first two parts (`slack:T1`, `discord:G1`). */
export function workspaceOf(address: string): string {
  return address.split(':').slice(0, 2).join(':');
}

/** When a challenge opened at `openedAt` (epoch ms) for `hours` closes, at `timeScale`. */
export function deadlineOf(openedAt: number, hours: number, timeScale: number): number {
  return openedAt + hours * 3600_000 * timeScale;
}
