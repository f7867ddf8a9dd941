/** Small formatting shared by every card and renderer: clocks, counts, spans of time. */
import type { RoundMode } from '../session.js';

/** `mm:ss` (or `h:mm:ss`) of a number of seconds. */
export function formatClock(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * A span of an async round's time, which runs over hours or days: `45 min`, `19 h 12 min`,
 * `2 d 22 h`. To the minute under a day and to the hour from a day, so it never reads like a
 * clock time and stays short in a banner.
 */
export function duration(seconds: number): string {
  const minutes = Math.max(0, Math.round(seconds / 60));
  if (minutes < 24 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    if (h === 0) return `${m} min`;
    return m === 0 ? `${h} h` : `${h} h ${m} min`;
  }
  const hours = Math.round(seconds / 3600);
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  return h === 0 ? `${d} d` : `${d} d ${h} h`;
}

/**
 * A round time as the round's own cards show it: on the clock in a live round (`12:03`), as a
 * duration in an async one (`19 h 12 min`).
 */
export function roundTime(seconds: number, mode: RoundMode): string {
  return mode === 'async' ? duration(seconds) : formatClock(seconds);
}

/**
 * When in a round something happened, as a phrase: `at 12:03` in a live round, `after 19 h 12 min`
 * in an async one.
 */
export function roundMoment(seconds: number, mode: RoundMode): string {
  return `${mode === 'async' ? 'after' : 'at'} ${roundTime(seconds, mode)}`;
}

/** A level 0..4 as a bar of four blocks, e.g. `███░`. */
export function levelBar(level: number): string {
  const filled = Math.max(0, Math.min(4, Math.round(level)));
  return '█'.repeat(filled) + '░'.repeat(4 - filled);
}

/** `1 reply`, `2 replies`: a count with its noun in the right number. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? singular : plural}`;
}

/**
 * A span of time as people say it: `33 seconds`, `1 minute`, `12 minutes`, `5 hours`, `3 days`.
 * Rounded to the unit shown, so `remaining` texts match a clock showing the same span.
 */
export function span(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return count(s, 'second');
  if (s < 2 * 3600) return count(Math.round(s / 60), 'minute');
  if (s < 2 * 86400 || s % 86400 !== 0) return count(Math.round(s / 3600), 'hour');
  return count(s / 86400, 'day');
}

/** A round's length in minutes as people say it: `45 minutes`, `72 hours`, `3 days`. */
export function roundLength(minutes: number): string {
  return span(minutes * 60);
}

/** What stands for lines or parts left out to fit a platform's limits: `… and 3 more`. */
export function andMore(n: number): string {
  return `… and ${n} more`;
}
