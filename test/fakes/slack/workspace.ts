/**
 * What the fake Slack's pieces share: the ids and names used when a test does not choose its own,
 * the payload type, and the workspace that issues message timestamps and response URLs.
 */

/** Ids and names the fakes use when a test does not choose its own. */
export const FAKE_SLACK_DEFAULTS = {
  /** Workspace id. */
  teamId: 'T0FAKETEAM',
  /** Workspace subdomain. */
  teamDomain: 'fake-team',
  /** Slack app id (`api_app_id`). */
  appId: 'A0FAKEAPP',
  /** The app's bot user id (what `auth.test` returns as `user_id`). */
  botUserId: 'U0FAKEBOT',
  /** The app's bot id (what `auth.test` returns as `bot_id`). */
  botId: 'B0FAKEBOT',
  /** The person speaking to the app. */
  userId: 'U0CANDIDATE',
  /** That person's handle. */
  userName: 'candidate',
  /** The channel conversations happen in. */
  channelId: 'C0PRACTICE',
  /** That channel's name. */
  channelName: 'practice',
  /** The legacy verification token Slack still puts in payloads. */
  verificationToken: 'fake-verification-token',
} as const;

/** Where a response URL was issued, so POSTs to it can act on the right message or user. */
export interface ResponseUrlContext {
  /** Channel the command or action happened in. */
  channel?: string;
  /** User who ran the command or clicked. */
  userId?: string;
  /** The message holding the clicked element; `replace_original` / `delete_original` act on it. */
  messageTs?: string;
  /** Thread of that message, when it is a reply. */
  threadTs?: string;
}

/** What payload builders need from the Slack workspace they speak for. `FakeSlack` implements it. */
export interface SlackWorkspace {
  /** Workspace id put into every payload. */
  readonly teamId: string;
  /** Workspace subdomain put into payloads. */
  readonly teamDomain: string;
  /** App id (`api_app_id`) put into every payload. */
  readonly appId: string;
  /** The app's bot user id, used in `authorizations`. */
  readonly botUserId: string;
  /** Issues the next message timestamp; unique and increasing across the workspace. */
  nextTs(): string;
  /** The id (`D...`) of the bot's direct-message conversation with `userId`; the same each time. */
  directChannel(userId: string): string;
  /** Issues a response URL whose POSTs the workspace records. */
  createResponseUrl(context?: ResponseUrlContext): string;
  /**
   * Keeps a person's `message` event as Slack keeps the message (a new one, an edit, a deletion),
   * whether or not it reaches the app (`delivered`), so the conversation reads it back.
   */
  keepPersonMessage(event: SlackPayload, delivered: boolean): void;
}

/** A Slack payload: JSON-shaped data on its way to the app. */
export type SlackPayload = Record<string, unknown>;
