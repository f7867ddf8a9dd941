/**
 * Who is in a thread: its creator joins it when it is made, and the bot adds people with
 * `PUT /channels/:id/thread-members/:userId`, which Discord announces with THREAD_MEMBERS_UPDATE.
 * Membership is what makes a private thread visible (see `DiscordState.canView`).
 */
import type { APIThreadMember, ThreadMemberFlags } from 'discord.js';
import { DiscordApiError, notFound } from './errors.js';
import type { Gateway } from './gateway.js';
import { Intent } from './protocol.js';
import { type FakeChannel, type FakeThread, isThread } from './records.js';
import type { ApiRequest } from './rest.js';
import type { DiscordState } from './state.js';

/** The thread members of a thread, in the order they joined (empty for an unknown thread). */
export function membersOf(state: DiscordState, threadId: string): APIThreadMember[] {
  return [...(state.threadMembers.get(threadId)?.values() ?? [])];
}

/**
 * Adds `userId` to `thread` and counts them; the new thread member object, or undefined when
 * they were in it already. Dispatches nothing: callers announce it as Discord does.
 */
export function joinThread(
  state: DiscordState,
  thread: FakeThread,
  userId: string,
): APIThreadMember | undefined {
  const members = state.threadMembers.get(thread.id) ?? new Map<string, APIThreadMember>();
  state.threadMembers.set(thread.id, members);
  if (members.has(userId)) return undefined;
  const joined: APIThreadMember = {
    id: thread.id,
    user_id: userId,
    join_timestamp: new Date().toISOString(),
    flags: 0 as ThreadMemberFlags,
  };
  members.set(userId, joined);
  thread.member_count = members.size;
  return joined;
}

/** The bot's thread member object in `thread`, if it is a member. */
export function botMembership(
  state: DiscordState,
  thread: FakeThread,
): APIThreadMember | undefined {
  return state.threadMembers.get(thread.id)?.get(state.botUser.id);
}

/**
 * The channels and threads as the bot's GUILD_CREATE carries them: only those it sees (not
 * others' private threads), and each thread it is in with its `member` object, without the `id`
 * and `user_id` that Discord leaves out there.
 */
export function channelsSeenByBot(state: DiscordState): FakeChannel[] {
  return [...state.channels.values()]
    .filter((channel) => state.canView(channel, state.botUser.id))
    .map((channel) => {
      const member = isThread(channel) ? botMembership(state, channel) : undefined;
      if (!member) return channel;
      const { join_timestamp, flags } = member;
      return { ...channel, member: { join_timestamp, flags } } as FakeChannel;
    });
}

/**
 * `PUT /channels/:channelId/thread-members/:userId`: the bot adds a member of the guild to a
 * thread it sees (404 Unknown Channel or 403 Missing Access otherwise; 400 for a channel that is
 * not a thread or an archived thread; 404 Unknown Member for someone not in the guild). Adding a
 * member again changes nothing. THREAD_MEMBERS_UPDATE goes to sessions with the GuildMembers
 * intent, or to every session when the bot itself was added, as Discord sends it.
 */
export function addThreadMember(state: DiscordState, gateway: Gateway, request: ApiRequest): void {
  const thread = state.requireChannel(request.params.channelId ?? '');
  if (!isThread(thread)) {
    throw new DiscordApiError(400, 50024, 'Cannot execute action on this channel type');
  }
  if (thread.thread_metadata?.archived) throw new DiscordApiError(400, 50083, 'Thread is archived');
  const guild = state.requireGuild(thread.guild_id);
  const userId = request.params.userId ?? '';
  const guildMember = guild.members.get(userId);
  if (!guildMember) throw notFound(10007, 'Unknown Member');
  const joined = joinThread(state, thread, userId);
  if (!joined) return;
  gateway.broadcast(
    'THREAD_MEMBERS_UPDATE',
    {
      id: thread.id,
      guild_id: guild.id,
      member_count: thread.member_count,
      added_members: [{ ...joined, member: guildMember, presence: null }],
    },
    {
      guildId: guild.id,
      ...(userId === state.botUser.id ? {} : { intent: Intent.GuildMembers }),
    },
  );
}
