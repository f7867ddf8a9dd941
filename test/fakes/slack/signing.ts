/** Slack's request signing, as the app under test verifies it on every HTTP delivery. */
import { createHmac } from 'node:crypto';

/**
 * Signs a request body the way Slack does: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`
 * keyed with the signing secret. `timestamp` is Unix seconds and defaults to now.
 */
export function signSlackRequest(
  secret: string,
  body: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): { signature: string; timestamp: number } {
  const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { signature: `v0=${digest}`, timestamp };
}
