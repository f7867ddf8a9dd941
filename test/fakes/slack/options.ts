/** How a fake Slack is configured: its options, and the same options with every default applied. */
import { FAKE_SLACK_DEFAULTS } from './workspace.js';

/** Configuration of a fake Slack; every field has a default. */
export interface FakeSlackOptions {
  /** The bot token (`xoxb-`) the Web API accepts. Default `xoxb-fake-bot-token`. */
  botToken?: string;
  /** The app-level token (`xapp-`) `apps.connections.open` accepts. Default `xapp-1-fake-app-token`. */
  appToken?: string;
  /** Workspace id. Default `T0FAKETEAM`. */
  teamId?: string;
  /** Workspace subdomain. Default `fake-team`. */
  teamDomain?: string;
  /** App id. Default `A0FAKEAPP`. */
  appId?: string;
  /** The bot's user id, returned by `auth.test`. Default `U0FAKEBOT`. */
  botUserId?: string;
  /** The bot id, returned by `auth.test`. Default `B0FAKEBOT`. */
  botId?: string;
  /** The bot's display name. Default `mockdesign`. */
  botName?: string;
  /** Unix seconds of the first message ts; each ts adds 100 µs. Default 1_700_000_000. */
  firstTs?: number;
  /**
   * Issue each ts from the wall clock, as Slack does (at least 100 µs after the previous one), so
   * a message's ts says when it was sent; `firstTs` is then unused. Default false.
   */
  clockTs?: boolean;
  /** Base of permalinks. Default `https://fake.slack`. */
  permalinkBase?: string;
  /** Users `users.info` knows beyond the synthesized ones (any `U...`/`W...` id is synthesized). */
  users?: FakeSlackUserRecord[];
  /** Channels `conversations.info` knows beyond the synthesized ones (any `C/G/D...` id). */
  channels?: FakeSlackChannelRecord[];
  /** Interval of server pings on Socket Mode connections, in ms; 0 disables. Default 10_000. */
  socketPingIntervalMs?: number;
  /** How long a pushed Socket Mode envelope waits for the app's ack, in ms. Default 3_000 (Slack's). */
  socketAckTimeoutMs?: number;
}

/** A user as `users.info` returns it; unset fields are synthesized from the id. */
export interface FakeSlackUserRecord {
  /** User id. */
  id: string;
  /** Handle. Default: the id in lower case. */
  name?: string;
  /** Full name. Default: the handle. */
  real_name?: string;
  /** IANA time zone. Default `UTC`. */
  tz?: string;
  /** Whether this is a bot user. Default false (true for the app's own bot user). */
  is_bot?: boolean;
  /** Whether the account is deactivated. Default false. */
  deleted?: boolean;
  /** The workspace's primary owner (also an owner and an admin). Default false. */
  is_primary_owner?: boolean;
  /** A workspace owner (also an admin). Default: `is_primary_owner`. */
  is_owner?: boolean;
  /** A workspace admin. Default: `is_owner`. */
  is_admin?: boolean;
}

/** A channel as `conversations.info` returns it; unset fields are synthesized from the id. */
export interface FakeSlackChannelRecord {
  /** Channel id. */
  id: string;
  /** Name. Default: the id in lower case. */
  name?: string;
  /** Private channel. Default: ids starting with `G`. */
  is_private?: boolean;
  /** Direct message. Default: ids starting with `D`. */
  is_im?: boolean;
  /** Archived. Default false. */
  is_archived?: boolean;
}

/** Every {@link FakeSlackOptions} field, its default applied; resolved once when the fake starts. */
export type FakeSlackSettings = Readonly<Required<FakeSlackOptions>>;

/** Applies the defaults documented on {@link FakeSlackOptions}. */
export function resolveFakeSlackOptions(options: FakeSlackOptions): FakeSlackSettings {
  return Object.freeze({
    botToken: options.botToken ?? 'xoxb-fake-bot-token',
    appToken: options.appToken ?? 'xapp-1-fake-app-token',
    teamId: options.teamId ?? FAKE_SLACK_DEFAULTS.teamId,
    teamDomain: options.teamDomain ?? FAKE_SLACK_DEFAULTS.teamDomain,
    appId: options.appId ?? FAKE_SLACK_DEFAULTS.appId,
    botUserId: options.botUserId ?? FAKE_SLACK_DEFAULTS.botUserId,
    botId: options.botId ?? FAKE_SLACK_DEFAULTS.botId,
    botName: options.botName ?? 'mockdesign',
    firstTs: options.firstTs ?? 1_700_000_000,
    clockTs: options.clockTs ?? false,
    permalinkBase: options.permalinkBase ?? 'https://fake.slack',
    users: options.users ?? [],
    channels: options.channels ?? [],
    socketPingIntervalMs: options.socketPingIntervalMs ?? 10_000,
    socketAckTimeoutMs: options.socketAckTimeoutMs ?? 3_000,
  });
}
