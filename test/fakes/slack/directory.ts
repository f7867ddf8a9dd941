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
  return {
    id,
    team_id: settings.teamId,
    name,
    real_name: realName,
    deleted: configured?.deleted ?? false,
    is_bot: configured?.is_bot ?? isBot,
    tz: configured?.tz ?? 'UTC',
    profile: { real_name: realName, display_name: name, team: settings.teamId },
  };
}
