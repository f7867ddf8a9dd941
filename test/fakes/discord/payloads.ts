/** Discord's objects as the API and gateway show them, built from the fake's state. */
import type {
  APIAttachment,
  APIEmbed,
  APIGuildMember,
  APIRole,
  APIUser,
  GuildMemberFlags,
  RoleFlags,
  UserFlags,
} from 'discord.js';
import { asRecords, type Json } from './json.js';
import { type FakeChannel, type FakeMessage, isThread } from './records.js';
import type { UploadedFile } from './rest.js';
import type { GuildState } from './state.js';

/** A user with only the fields every user has. */
export function baseUser(id: string, username: string): APIUser {
  return {
    id,
    username,
    global_name: null,
    discriminator: '0',
    avatar: null,
    public_flags: 0 as UserFlags,
  };
}

/** A role without colour, icon or flags. */
export function role(id: string, name: string, position: number, permissions: string): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions,
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
  };
}

/** A guild member who joined at `joinedAt`. */
export function member(user: APIUser, roles: string[], joinedAt: string): APIGuildMember {
  return {
    user,
    nick: null,
    avatar: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/**
 * A guild as GUILD_CREATE carries it: with its channels, members and active threads (Discord
 * leaves archived threads out; a client learns of one again when it is unarchived).
 */
export function guildPayload(guild: GuildState, allChannels: Iterable<FakeChannel>): Json {
  const channels = [...allChannels].filter((c) => c.guild_id === guild.id);
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: 'en-US',
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    vanity_url_code: null,
    application_id: null,
    features: [],
    roles: guild.roles,
    emojis: [],
    stickers: [],
    joined_at: guild.joinedAt,
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    members: [...guild.members.values()],
    channels: channels.filter((c) => !isThread(c)),
    threads: channels.filter((c) => isThread(c) && !c.thread_metadata?.archived),
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** The application as `GET /applications/@me` answers it. */
export function applicationPayload(state: {
  applicationId: string;
  applicationFlags: number;
  botUser: APIUser;
}): Json {
  return {
    id: state.applicationId,
    name: state.botUser.username,
    icon: null,
    description: '',
    summary: '',
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: '0'.repeat(64),
    flags: state.applicationFlags,
    bot: state.botUser,
    team: null,
  };
}

/** Embeds as Discord stores them: `type: 'rich'` unless given. */
export function normalizeEmbeds(value: unknown): APIEmbed[] {
  return asRecords(value).map((embed) => ({ type: 'rich', ...embed }) as APIEmbed);
}

/** Where attachments get their ids and leave their bytes: the fake's state. */
export interface AttachmentStore {
  /** Issues the attachment ids. */
  readonly nextId: () => string;
  /** Keeps each attachment's bytes by id, for tests to read back. */
  readonly attachmentBytes: Map<string, Uint8Array>;
}

/**
 * Attachment objects for uploaded files, as Discord returns them: each file is matched to the
 * body's `attachments` entry whose `id` is the `n` of its `files[n]` field (else its position),
 * which may rename it and give it a `description` (alt text); images get their `width` and
 * `height`. The bytes are kept in `store`.
 */
export function attachmentsFor(
  channelId: string,
  body: Json,
  files: UploadedFile[],
  store: AttachmentStore,
): APIAttachment[] {
  const described = asRecords(body.attachments);
  return files.map((file, index) => {
    const id = store.nextId();
    const slot = /^files\[(\d+)\]$/.exec(file.field)?.[1] ?? String(index);
    const entry = described.find((a) => String(a.id) === slot);
    const filename = typeof entry?.filename === 'string' ? entry.filename : file.name;
    const url = `https://cdn.fake-discord.invalid/attachments/${channelId}/${id}/${filename}`;
    store.attachmentBytes.set(id, file.bytes);
    return {
      id,
      filename,
      ...(typeof entry?.description === 'string' ? { description: entry.description } : {}),
      size: file.size,
      url,
      proxy_url: url,
      content_type: file.contentType || 'application/octet-stream',
      ...pngSize(file.bytes),
    };
  });
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A PNG's width and height, read from its IHDR chunk; nothing for other bytes. */
function pngSize(bytes: Uint8Array): { width: number; height: number } | Record<string, never> {
  if (bytes.length < 24 || !PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) return {};
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** A message as a session without the MessageContent intent sees it. */
export function withoutContent<T extends FakeMessage>(message: T): T {
  return { ...message, content: '', embeds: [], attachments: [], components: [] };
}
