import { MockdesignError } from '../../src/errors.js';

/** The address scheme and platform name of Slack. */
export const SLACK = 'slack';

/** Where something is in Slack: a workspace, a conversation and, for a thread, its root `ts`. */
export interface SlackAddress {
  /** Workspace id, e.g. `T0123`. */
  readonly team: string;
  /** Conversation id: a channel `C...`, a private channel `G...` or a DM `D...`. */
  readonly channel: string;
  /** The thread's root message ts, e.g. `1700000000.000100`; absent for a channel address. */
  readonly threadTs?: string;
}

const ID = /^[A-Za-z0-9]+$/;
const TS = /^\d+\.\d+$/;

/**
 * An opaque address string: `slack:T1:C1` for a conversation, `slack:T1:C1:1700000000.000100` for
 * a thread. Ids and timestamps never contain `:`, so the parts split back unambiguously.
 */
export function encodeSlackAddress(address: SlackAddress): string {
  const { team, channel, threadTs } = address;
  if (!ID.test(team) || !ID.test(channel) || (threadTs !== undefined && !TS.test(threadTs))) {
    throw new MockdesignError(
      'bad_address',
      `not a Slack team, channel and thread ts: ${JSON.stringify(address)}`,
    );
  }
  return [SLACK, team, channel, ...(threadTs === undefined ? [] : [threadTs])].join(':');
}

/** The parts of an address made by {@link encodeSlackAddress}; throws on anything else. */
export function decodeSlackAddress(address: string): SlackAddress {
  const [scheme, team = '', channel = '', threadTs, ...rest] = address.split(':');
  const valid =
    scheme === SLACK &&
    ID.test(team) &&
    ID.test(channel) &&
    (threadTs === undefined || TS.test(threadTs)) &&
    rest.length === 0;
  if (!valid) throw new MockdesignError('bad_address', `not a Slack address: "${address}"`);
  return threadTs === undefined ? { team, channel } : { team, channel, threadTs };
}

/** The thread address of `address`; throws when it names a conversation only. */
export function decodeSlackThread(address: string): Required<SlackAddress> {
  const decoded = decodeSlackAddress(address);
  if (decoded.threadTs === undefined) {
    throw new MockdesignError('bad_address', `not a Slack thread address: "${address}"`);
  }
  return decoded as Required<SlackAddress>;
}
