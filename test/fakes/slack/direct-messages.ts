/**
 * The bot's direct-message conversations, as `conversations.open` opens them: one `D...` id per
 * person, the same every time (Slack keeps one 1:1 conversation between the bot and a person), and
 * one `G...` id per group of people for a multi-person DM. A person writing to the bot first
 * (`SlackUser.sayDirect`) uses the same conversation the bot later opens.
 *
 * `conversations.open` answers `{ channel: { id } }`, adding `no_op` and `already_open` when the
 * conversation existed, and the full conversation with `return_im`. Its errors are Slack's:
 * `users_list_not_supplied`, `user_not_found`, `user_disabled`, `cannot_dm_bot` (the bot itself),
 * `too_many_users` (more than 8), `channel_not_found` (a `channel` it never opened).
 */
import { createHash } from 'node:crypto';
import { userInfo } from './directory.js';
import { booleanParam, SlackApiError, stringParam } from './http.js';
import type { FakeSlackSettings } from './options.js';
import type { SlackPayload } from './workspace.js';

/** Slack opens a multi-person DM for at most this many people. */
const MAX_USERS = 8;

/** A conversation the bot has with people directly. */
export interface DirectConversation {
  readonly id: string;
  /** The other members, in the order they were given. */
  readonly users: readonly string[];
  /** When it was opened, Unix seconds (`created`). */
  readonly created: number;
}

/** The bot's direct conversations in one fake workspace. */
export class DirectMessages {
  private readonly byId = new Map<string, DirectConversation>();
  private readonly byUsers = new Map<string, DirectConversation>();

  /** Conversations are checked against the users the settings know. */
  constructor(private readonly settings: FakeSlackSettings) {}

  /** The id of the bot's 1:1 conversation with `user` (`D...`), opened if it was not yet. */
  channelOf(user: string): string {
    return this.open([user]).conversation.id;
  }

  /** The bot's direct conversation `id`, if it has one. */
  find(id: string): DirectConversation | undefined {
    return this.byId.get(id);
  }

  /** Answers `conversations.open`: by `users` (comma-separated) or by an open `channel`. */
  conversationsOpen(params: SlackPayload): SlackPayload {
    const channel = stringParam(params.channel);
    const users = (stringParam(params.users) ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter((u) => u !== '');
    let opened: { conversation: DirectConversation; existed: boolean };
    if (users.length > 0) {
      opened = this.open(users);
    } else if (channel) {
      const conversation = this.byId.get(channel);
      if (!conversation) throw new SlackApiError('channel_not_found');
      opened = { conversation, existed: true };
    } else {
      throw new SlackApiError('users_list_not_supplied');
    }
    const { conversation, existed } = opened;
    return {
      ...(existed ? { no_op: true, already_open: true } : {}),
      channel: booleanParam(params.return_im)
        ? this.describe(conversation)
        : { id: conversation.id },
    };
  }

  /** The full conversation, as `return_im` and `conversations.info` show it. */
  describe(conversation: DirectConversation): SlackPayload {
    const im = conversation.users.length === 1;
    return {
      id: conversation.id,
      created: conversation.created,
      is_im: im,
      is_mpim: !im,
      is_org_shared: false,
      context_team_id: this.settings.teamId,
      ...(im ? { user: conversation.users[0], is_user_deleted: false } : {}),
      is_open: true,
      priority: 0,
    };
  }

  private open(users: readonly string[]): { conversation: DirectConversation; existed: boolean } {
    if (users.length > MAX_USERS) throw new SlackApiError('too_many_users');
    for (const user of users) {
      // `user_not_found` for an id Slack would not know, as `users.info` answers.
      const info = userInfo(this.settings, user);
      if (info.deleted) throw new SlackApiError('user_disabled');
      if (user === this.settings.botUserId) throw new SlackApiError('cannot_dm_bot');
    }
    const key = [...users].sort().join(',');
    const existing = this.byUsers.get(key);
    if (existing) return { conversation: existing, existed: true };
    const conversation: DirectConversation = {
      id: conversationId(users),
      users: [...users],
      created: Math.floor(Date.now() / 1000),
    };
    this.byUsers.set(key, conversation);
    this.byId.set(conversation.id, conversation);
    return { conversation, existed: false };
  }
}

/**
 * A stable id for the conversation with `users`: `D` and a hash of the person for a 1:1 DM, `G`
 * and a hash of the group for a multi-person DM (Slack's ids look alike: upper-case letters and
 * digits).
 */
function conversationId(users: readonly string[]): string {
  const hash = createHash('sha256')
    .update([...users].sort().join(','))
    .digest('hex');
  return `${users.length === 1 ? 'D' : 'G'}0${hash.slice(0, 9).toUpperCase()}`;
}
