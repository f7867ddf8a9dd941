/**
 * Roles a test gives members, so their permissions (sent with each interaction as
 * `member.permissions`) are what Discord would compute: creating a role dispatches
 * GUILD_ROLE_CREATE, giving one to a member GUILD_MEMBER_UPDATE (GuildMembers intent only).
 */
import type { APIRole } from 'discord.js';
import type { Gateway } from './gateway.js';
import type { AddMemberRoleOptions, CreateRoleOptions } from './inputs.js';
import { role } from './payloads.js';
import { Intent } from './protocol.js';
import type { DiscordState } from './state.js';

/** Creates a role in a guild (default: the first seeded one) below the others. */
export function createRole(
  state: DiscordState,
  gateway: Gateway,
  options: CreateRoleOptions,
): APIRole {
  const guild = requireGuildForTest(state, options.guildId);
  const created = role(
    state.nextId(),
    options.name ?? 'role',
    guild.roles.length,
    BigInt(options.permissions).toString(),
  );
  guild.roles.push(created);
  gateway.broadcast(
    'GUILD_ROLE_CREATE',
    { guild_id: guild.id, role: created },
    { guildId: guild.id, intent: Intent.Guilds },
  );
  state.changed();
  return created;
}

/** Gives a role to a user (who joins the guild if needed), as `PUT .../members/:id/roles/:id`. */
export function addMemberRole(
  state: DiscordState,
  gateway: Gateway,
  options: AddMemberRoleOptions,
): void {
  const guild = requireGuildForTest(state, options.guildId);
  if (!guild.roles.some((r) => r.id === options.roleId)) {
    throw new Error(`fake-discord: guild ${guild.id} has no role ${options.roleId}`);
  }
  const user = state.resolveUser(options.user);
  const found = state.memberOf(guild, user);
  const stored = guild.members.get(user.id);
  if (!stored || stored.roles.includes(options.roleId)) return;
  stored.roles = [...stored.roles, options.roleId];
  gateway.broadcast(
    'GUILD_MEMBER_UPDATE',
    { ...found, roles: stored.roles, guild_id: guild.id },
    { guildId: guild.id, intent: Intent.GuildMembers },
  );
  state.changed();
}

function requireGuildForTest(state: DiscordState, guildId: string | undefined) {
  const id = guildId ?? state.guildId;
  const guild = state.guilds.get(id);
  if (!guild) throw new Error(`fake-discord: unknown guild ${id}`);
  return guild;
}
