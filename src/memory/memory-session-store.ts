import {
  asCommit,
  type SessionCommit,
  type SessionStore,
  type SessionUpdate,
} from '../ports/session-store.js';
import type { Scorecard } from '../scoring/scorecard.js';
import { attentionAt, type Session, type StoredMessage } from '../session.js';

/** Sessions in process memory, for the terminal and unit tests. Values are copied in and out. */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly threads = new Map<string, string>();
  private readonly messageLists = new Map<string, StoredMessage[]>();
  private readonly scorecards = new Map<string, Scorecard>();

  private readonly claims = new Map<string, string>();

  async claimActive(platform: string, user: string, sessionId: string): Promise<boolean> {
    const key = `${platform}:${user}`;
    const holder = this.claims.get(key);
    if (holder !== undefined && holder !== sessionId) {
      const held = this.sessions.get(holder);
      if (!held || held.status === 'active') return false;
    }
    // Checked and claimed in one step: nothing else runs in between.
    for (const s of this.sessions.values()) {
      if (s.platform === platform && s.status === 'active' && s.candidates.includes(user)) {
        return false;
      }
    }
    this.claims.set(key, sessionId);
    return true;
  }

  async releaseActive(platform: string, user: string, sessionId: string): Promise<void> {
    const key = `${platform}:${user}`;
    if (this.claims.get(key) === sessionId) this.claims.delete(key);
  }

  /** Claims of posting an outbox entry: released by their holder (nothing outlives the process). */
  private readonly posting = new Map<string, string>();

  async claimPost(sessionId: string, key: string, holder: string): Promise<boolean> {
    const claim = `${sessionId}:${key}`;
    const held = this.posting.get(claim);
    if (held !== undefined && held !== holder) return false;
    this.posting.set(claim, holder);
    return true;
  }

  async releasePost(sessionId: string, key: string, holder: string): Promise<void> {
    const claim = `${sessionId}:${key}`;
    if (this.posting.get(claim) === holder) this.posting.delete(claim);
  }

  async create(session: Session): Promise<void> {
    this.sessions.set(session.id, structuredClone(session));
    this.threads.set(session.thread, session.id);
    if (session.conversation) this.threads.set(session.conversation, session.id);
  }

  async get(id: string): Promise<Session | undefined> {
    const session = this.sessions.get(id);
    return session && structuredClone(session);
  }

  async findByThread(thread: string): Promise<Session | undefined> {
    const id = this.threads.get(thread);
    return id === undefined ? undefined : this.get(id);
  }

  async findActive(platform: string, user: string): Promise<Session | undefined> {
    let latest: Session | undefined;
    for (const s of this.sessions.values()) {
      if (s.platform === platform && s.status === 'active' && s.candidates.includes(user)) {
        if (!latest || s.startedAt > latest.startedAt) latest = s;
      }
    }
    return latest && structuredClone(latest);
  }

  async update(id: string, update: SessionUpdate, current?: Session): Promise<Session | undefined> {
    return this.commit(id, asCommit(update), current);
  }

  async commit(
    id: string,
    change: SessionCommit,
    _current?: Session,
  ): Promise<Session | undefined> {
    const current = this.sessions.get(id);
    if (!current || this.gone.has(id)) return undefined;
    const next = change(structuredClone(current));
    if (!next) return undefined;
    this.sessions.set(id, structuredClone(next.session));
    if (attentionAt(next.session) !== attentionAt(current)) this.notBefore.delete(id);
    for (const message of next.messages) await this.addMessage(id, message);
    return structuredClone(next.session);
  }

  async running(platform: string): Promise<Session[]> {
    return [...this.sessions.values()]
      .filter((s) => s.status === 'active' && s.platform === platform)
      .map((s) => structuredClone(s));
  }

  async due(before: number, limit: number): Promise<string[]> {
    return [...this.sessions.values()]
      .flatMap((s) => {
        const needed = attentionAt(s);
        const at =
          needed === undefined ? undefined : Math.max(needed, this.notBefore.get(s.id) ?? 0);
        return at !== undefined && at <= before ? [{ id: s.id, at }] : [];
      })
      .sort((a, b) => a.at - b.at)
      .slice(0, limit)
      .map((s) => s.id);
  }

  async reindex(id: string, notBefore: number): Promise<void> {
    // The index is computed from the sessions themselves, but for the sweeper's wait.
    this.notBefore.set(id, notBefore);
  }

  /** When the sweeper looks at a round again, by id; a change to what it needs clears it. */
  private readonly notBefore = new Map<string, number>();

  /** Rounds deleted by `forget`: nothing of them is written again. */
  private readonly gone = new Set<string>();

  async addMessage(sessionId: string, message: StoredMessage): Promise<boolean> {
    if (this.gone.has(sessionId)) return false;
    const list = this.messageLists.get(sessionId) ?? [];
    if (list.some((m) => m.id === message.id)) return false;
    list.push({ ...message });
    this.messageLists.set(sessionId, list);
    return true;
  }

  async message(sessionId: string, messageId: string): Promise<StoredMessage | undefined> {
    const found = this.messageLists.get(sessionId)?.find((m) => m.id === messageId);
    return found && { ...found };
  }

  async withdrawMessage(
    sessionId: string,
    withdrawn: StoredMessage,
    update: SessionUpdate,
  ): Promise<void> {
    const current = this.sessions.get(sessionId);
    if (!current || this.gone.has(sessionId)) return;
    const list = this.messageLists.get(sessionId) ?? [];
    const at = list.findIndex((m) => m.id === withdrawn.id);
    const stored = at < 0 ? undefined : list[at];
    // Checked and changed in one step: nothing else runs in between.
    if (!stored) {
      list.push({ ...withdrawn });
      this.messageLists.set(sessionId, list);
    } else if (stored.role === 'candidate') {
      list[at] = { ...withdrawn, author: stored.author, at: stored.at };
      const next = update(structuredClone(current));
      if (next) this.sessions.set(sessionId, structuredClone(next));
    }
  }

  async dropMessage(sessionId: string, messageId: string): Promise<void> {
    const list = this.messageLists.get(sessionId);
    if (list)
      this.messageLists.set(
        sessionId,
        list.filter((m) => m.id !== messageId),
      );
  }

  async addReply(sessionId: string, message: StoredMessage, update: SessionUpdate) {
    const current = this.sessions.get(sessionId);
    const list = this.messageLists.get(sessionId) ?? [];
    if (!current || this.gone.has(sessionId) || list.some((m) => m.id === message.id)) {
      return { stored: false };
    }
    const next = update(structuredClone(current));
    list.push({ ...message });
    this.messageLists.set(sessionId, list);
    if (!next) return { stored: true };
    this.sessions.set(sessionId, structuredClone(next));
    return { stored: true, session: structuredClone(next) };
  }

  async messages(sessionId: string): Promise<StoredMessage[]> {
    return (this.messageLists.get(sessionId) ?? []).map((m) => ({ ...m }));
  }

  async saveScorecard(sessionId: string, scorecard: Scorecard): Promise<void> {
    if (this.gone.has(sessionId)) return;
    this.scorecards.set(sessionId, structuredClone(scorecard));
  }

  async getScorecard(sessionId: string): Promise<Scorecard | undefined> {
    const card = this.scorecards.get(sessionId);
    return card && structuredClone(card);
  }

  async history(platform: string, user: string, limit: number): Promise<Session[]> {
    return [...this.sessions.values()]
      .filter((s) => s.platform === platform && s.candidates.includes(user))
      .sort((a, b) => b.startedAt - a.startedAt)
      .slice(0, limit)
      .map((s) => structuredClone(s));
  }

  async forgetUser(platform: string, user: string): Promise<number> {
    const mine = [...this.sessions.values()].filter(
      (s) => s.platform === platform && s.candidates.includes(user),
    );
    for (const s of mine) {
      this.gone.add(s.id);
      this.sessions.delete(s.id);
      this.threads.delete(s.thread);
      if (s.conversation && this.threads.get(s.conversation) === s.id) {
        this.threads.delete(s.conversation);
      }
      this.messageLists.delete(s.id);
      this.scorecards.delete(s.id);
    }
    return mine.length;
  }
}
