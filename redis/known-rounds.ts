import type { Session } from '../src/session.js';

/** Rounds whose last-seen text a store keeps (about 600 bytes each while a round runs). */
const KNOWN_ROUNDS = 20_000;

/**
 * The rounds' stored JSON as this process last saw it, so that a commit compares with the text it
 * has instead of reading or serialising the round again. Only a hint: the compare-and-set in Redis
 * decides, and finds it stale when another process changed the round since.
 */
export class KnownRounds {
  /**
   * The stored JSON of each round this store read or wrote, by the object it returned: a commit
   * given that object as the round it knows compares with this text instead of serialising it
   * again (most of a timer event's work on a busy store).
   */
  private readonly stored = new WeakMap<Session, string>();
  /**
   * The JSON this process last read or wrote of each round, newest last, at most `KNOWN_ROUNDS`: a
   * commit starts from it instead of reading the round first (the compare-and-set finds it stale
   * when another process changed the round since, and the commit reads it then).
   */
  private readonly known = new Map<string, string>();

  /** The stored JSON of `session`, when this store read or wrote that very object. */
  textOf(session: Session): string | undefined {
    return this.stored.get(session);
  }

  /** The JSON of round `id` as this process last saw it, if it still remembers it. */
  lastSeen(id: string): string | undefined {
    return this.known.get(id);
  }

  /** The round `id` stored as `json`, remembered with its text. */
  parsed(id: string, json: string): Session {
    const session = JSON.parse(json) as Session;
    this.stored.set(session, json);
    this.remember(id, json);
    return session;
  }

  /** Notes `session`, just written as `json`, as round `id`'s text and that object's. */
  wrote(id: string, session: Session, json: string): void {
    this.stored.set(session, json);
    this.remember(id, json);
  }

  /** Notes the round's text as last seen here (`undefined`: gone). */
  remember(id: string, json: string | undefined): undefined {
    this.known.delete(id);
    if (json === undefined) return;
    this.known.set(id, json);
    if (this.known.size > KNOWN_ROUNDS) {
      const oldest = this.known.keys().next();
      if (!oldest.done) this.known.delete(oldest.value);
    }
  }
}
