/**
 * Who and what the fake workspace knows, as `auth.test`, `users.info` and `conversations.info`
 * answer it: configured records first, anything else with a plausible id synthesized from the id.
 */
import { SlackApiError } from './http.js';
import type { FakeSlackSettings } from './options.js';
import type { SlackPayload } from './workspace.js';

/** The `auth.test` answer for the bot token. */
export function authTestResult(settings: FakeSlackSettings): SlackPayload {
  return {
    url: `https://${settings.teamDomain}.fake.slack/`,
    team: settings.teamDomain,
    user: settings.botName,
    team_id: settings.teamId,
    user_id: settings.botUserId,
    bot_id: settings.botId,
    is_enterprise_install: false,
  };
}

/** A channel as `conversations.info` returns it; `channel_not_found` for an implausible id. */
export function channelInfo(settings: FakeSlackSettings, id: string | undefined): SlackPayload {
  const configured = settings.channels.find((c) => c.id === id);
  if (!id || (!configured && !/^[CGD][A-Z0-9]+$/.test(id))) {
    throw new SlackApiError('channel_not_found');
  }
  const isIm = configured?.is_im ?? id.startsWith('D');
  return {
    id,
    name: configured?.name ?? id.toLowerCase(),
    is_channel: !isIm,
    is_group: false,
    is_im: isIm,
    is_private: configured?.is_private ?? id.startsWith('G'),
    is_archived: configured?.is_archived ?? false,
    is_member: true,
    context_team_id: settings.teamId,
  };
}

/** A user as `users.info` returns it; `user_not_found` for an implausible id. */
export function userInfo(settings: FakeSlackSettings, id: string | undefined): SlackPayload {
  const configured = settings.users.find((u) => u.id === id);
  if (!id || (!configured && !/^[UW][A-Z0-9]+$/.test(id))) {
    throw new SlackApiError('user_not_found');
  }
  const isBot = id === settings.botUserId;
  const name = configured?.name ?? (isBot ? settings.botName : id.toLowerCase());
  const realName = configured?.real_name ?? name;
  const tz = configured?.tz ?? 'UTC';
  // Slack's roles nest: the primary owner is an owner, and every owner is an admin.
  const primaryOwner = configured?.is_primary_owner ?? false;
  const owner = configured?.is_owner ?? primaryOwner;
  return {
    id,
    team_id: settings.teamId,
    name,
    real_name: realName,
    deleted: configured?.deleted ?? false,
    is_bot: configured?.is_bot ?? isBot,
    is_admin: configured?.is_admin ?? owner,
    is_owner: owner,
    is_primary_owner: primaryOwner,
    is_restricted: false,
    is_ultra_restricted: false,
    is_app_user: false,
    tz,
    ...timeZoneFields(tz),
    profile: { real_name: realName, display_name: name, team: settings.teamId },
  };
}

/** `tz_label` and `tz_offset` (seconds east of UTC, now) of an IANA zone, as `users.info` has them. */
function timeZoneFields(tz: string): { tz_label: string; tz_offset: number } {
  const part = (timeZoneName: 'long' | 'longOffset') =>
    new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const offset = /GMT([+-])(\d{2}):(\d{2})/.exec(part('longOffset'));
  const seconds = offset
    ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 3600 + Number(offset[3]) * 60)
    : 0;
  return { tz_label: part('long'), tz_offset: seconds };
}
