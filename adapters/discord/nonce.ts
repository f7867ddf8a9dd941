import { createHash } from 'node:crypto';

/** Discord accepts a message nonce of at most 25 characters. */
export const NONCE_LENGTH = 25;

/**
 * The nonce of part `part` of a delivery: the same for every attempt at the same post, so Discord
 * (with `enforce_nonce`) returns the message it already created instead of posting it twice.
 * Delivery keys are longer than Discord allows, so the nonce is a hash of the key.
 */
export function deliveryNonce(key: string, part: number): string {
  return createHash('sha256').update(`${key}#${part}`).digest('base64url').slice(0, NONCE_LENGTH);
}
