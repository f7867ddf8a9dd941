import { OAuth2Scopes, PermissionFlagsBits, PermissionsBitField } from 'discord.js';

/**
 * What the bot needs in a channel: see it, post the prompt card, start a public thread on it, start
 * a private thread for a challenge attempt (and add the person to it), post in threads, read their
 * history, and show embeds.
 */
export const BOT_PERMISSIONS = new PermissionsBitField([
  PermissionFlagsBits.ViewChannel,
  PermissionFlagsBits.SendMessages,
  PermissionFlagsBits.CreatePublicThreads,
  PermissionFlagsBits.CreatePrivateThreads,
  PermissionFlagsBits.SendMessagesInThreads,
  PermissionFlagsBits.ReadMessageHistory,
  PermissionFlagsBits.EmbedLinks,
]);

/** Scopes: the bot user, and the `/mockdesign` slash command. */
export const BOT_SCOPES = [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands] as const;

/** The URL a server admin opens to add the bot with the permissions and scopes it needs. */
export function inviteUrl(appId: string, guildId?: string): string {
  const url = new URL('https://discord.com/oauth2/authorize');
  url.searchParams.set('client_id', appId);
  url.searchParams.set('scope', BOT_SCOPES.join(' '));
  url.searchParams.set('permissions', BOT_PERMISSIONS.bitfield.toString());
  if (guildId) url.searchParams.set('guild_id', guildId);
  return url.toString();
}
