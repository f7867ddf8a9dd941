/** Small formatting shared by every card and renderer: clocks, counts, spans of time. */

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
