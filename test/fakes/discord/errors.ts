/** Discord's JSON error answers: the error type, the common ones, and field errors. */
import type { Json } from './json.js';

/** An error answered as Discord's JSON error body. */
export class DiscordApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Json,
  ) {
    super(message);
  }

  toJSON(): Json {
    return this.errors
      ? { message: this.message, code: this.code, errors: this.errors }
      : { message: this.message, code: this.code };
  }
}

/** A 404 with Discord's error `code`. */
export const notFound = (code: number, message: string) => new DiscordApiError(404, code, message);
export const unknownChannel = () => notFound(10003, 'Unknown Channel');
export const unknownMessage = () => notFound(10008, 'Unknown Message');
export const unknownWebhook = () => notFound(10015, 'Unknown Webhook');
export const unknownInteraction = () => notFound(10062, 'Unknown interaction');
/** 400 Invalid Form Body (50035) with Discord's nested field `errors`. */
export const invalidFormBody = (errors: Json) =>
  new DiscordApiError(400, 50035, 'Invalid Form Body', errors);

/** One field's errors, as nested inside an Invalid Form Body answer. */
export function fieldError(code: string, message: string): Json {
  return { _errors: [{ code, message }] };
}
