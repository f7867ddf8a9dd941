/** What a failed file or system call reports as its cause: its code (`ENOENT`), else its text. */
export function causeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? String(error);
}

/** Base error of mockdesign: every error we raise on purpose carries a stable `code`. */
export class MockdesignError extends Error {
  constructor(
    /** Stable machine-readable code, e.g. `user_input` or `config`. */
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * An error caused by what a person typed. Its message is written for them: what was wrong and
 * how to write it correctly. Adapters show it verbatim (privately where the platform allows).
 */
export class UserError extends MockdesignError {
  constructor(message: string) {
    super('user_input', message);
  }
}

/** A missing or malformed environment variable; the message names the variable. */
export class ConfigError extends MockdesignError {
  constructor(message: string) {
    super('config', message);
  }
}

/** A rubric or prompt file that does not load; the message names the file and the path in it. */
export class RubricError extends MockdesignError {
  constructor(message: string) {
    super('rubric', message);
  }
}

/** A transcript file that cannot be scored; the message names the file and the problem. */
export class TranscriptError extends MockdesignError {
  constructor(message: string) {
    super('transcript', message);
  }
}

/**
 * Why a platform refused a post in a way the person can fix: the bot is not in that conversation,
 * the conversation is archived, or it is of a kind that cannot hold the thread asked for (Discord:
 * a private thread outside a text channel). The core tells the person what to do.
 */
export type PlatformRefusal = 'cannot_post_here' | 'channel_archived' | 'wrong_channel_type';

/** A chat platform call that failed, wrapped once at the adapter boundary. */
export class PlatformError extends MockdesignError {
  constructor(
    /** Platform name, e.g. `slack`. */
    readonly platform: string,
    message: string,
    /** For rate limits: how long the platform asked us to wait, in milliseconds. */
    readonly retryAfterMs?: number,
    options?: ErrorOptions & { readonly refusal?: PlatformRefusal },
  ) {
    super('platform', `${platform}: ${message}`, options);
    this.refusal = options?.refusal;
  }

  /** Set when the failure is one the person can fix (see {@link PlatformRefusal}). */
  readonly refusal: PlatformRefusal | undefined;
}
