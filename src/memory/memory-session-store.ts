import type { SessionStore, SessionUpdate } from '../ports/session-store.js';
import type { Scorecard } from '../scoring/scorecard.js';
import { attentionAt, type Session, type StoredMessage } from '../session.js';

/** Sessions in process memory, for the terminal and unit tests. Values are copied in and out. */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly threads = new Map<string, string>();
  private readonly messageLists = new Map<string, StoredMessage[]>();
  private readonly scorecards = new Map<string, Scorecard>();

  async create(session: Session): Promise<void> {
    this.sessions.set(session.id, structuredClone(session));
    this.threads.set(session.thread, session.id);
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

  async update(
    id: string,
    update: SessionUpdate,
    _current?: Session,
  ): Promise<Session | undefined> {
    const current = this.sessions.get(id);
    if (!current) return undefined;
    const next = update(structuredClone(current));
    if (!next) return undefined;
    this.sessions.set(id, structuredClone(next));
    return structuredClone(next);
  }

  async due(before: number, limit: number): Promise<string[]> {
    return [...this.sessions.values()]
      .flatMap((s) => {
        const at = attentionAt(s);
        return at !== undefined && at <= before ? [{ id: s.id, at }] : [];
      })
      .sort((a, b) => a.at - b.at)
      .slice(0, limit)
      .map((s) => s.id);
  }

  async reindex(_id: string): Promise<void> {
    // The index is computed from the sessions themselves.
  }

  async addMessage(sessionId: string, message: StoredMessage): Promise<boolean> {
    const list = this.messageLists.get(sessionId) ?? [];
    if (list.some((m) => m.id === message.id)) return false;
    list.push({ ...message });
    this.messageLists.set(sessionId, list);
    return true;
  }

  async messages(sessionId: string): Promise<StoredMessage[]> {
    return (this.messageLists.get(sessionId) ?? []).map((m) => ({ ...m }));
  }

  async saveScorecard(sessionId: string, scorecard: Scorecard): Promise<void> {
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
      this.sessions.delete(s.id);
      this.threads.delete(s.thread);
      this.messageLists.delete(s.id);
      this.scorecards.delete(s.id);
    }
    return mine.length;
  }
}
