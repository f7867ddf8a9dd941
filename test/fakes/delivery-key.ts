/**
 * What a post is within its round, read from the core's delivery key `{sessionId}-{outbox key}`:
 * the interviewer event's key (`pivot`, `phase-sketch`, `end`), or `scorecard`. Test and bench
 * platforms use it to name what they recorded.
 */
export function subjectOf(deliveryKey: string): string {
  const entry = deliveryKey.replace(/^r[0-9a-f]{16}-/, '');
  return entry.startsWith('event-') ? entry.slice('event-'.length) : entry;
}
