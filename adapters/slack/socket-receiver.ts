import type { App, Receiver, ReceiverEvent, webApi } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import type { Logger } from '../../src/logger.js';
import { boltLogger } from './bolt-logger.js';
import { tokenRefusal } from './errors.js';

/**
 * The longest gap of a refreshed connection left to Slack's own redelivery, which tries an
 * unacknowledged event again after about a minute; after a longer one the threads are read back.
 */
const REFRESH_GAP_MS = 30_000;

/** What the Socket Mode client hands each envelope's listener. */
interface SocketEnvelope {
  readonly body: Record<string, unknown>;
  readonly ack: (response?: Record<string, unknown>) => Promise<void>;
  readonly retry_num?: number;
  readonly retry_reason?: string;
}

/**
 * Socket Mode that acknowledges an envelope only once Bolt has run its listeners, as the HTTP
 * receiver does with `processBeforeResponse`. Bolt's own Socket Mode receiver sends the ack of an
 * event before any listener runs, so a reply in flight when the process died was acknowledged
 * and lost; here Slack sends the envelope again until the reply is stored. Listeners that must
 * answer sooner (commands, buttons) ack and do their work apart, as over HTTP.
 */
export class StoringSocketModeReceiver implements Receiver {
  private readonly client: SocketModeClient;
  private app: App | undefined;
  private readonly reconnectedListeners: (() => void)[] = [];
  /** The client is opening its WebSocket again after losing it: the next open is a return. */
  private reconnecting = false;
  /**
   * When Slack last said it would close the connection (it refreshes them every few hours), epoch
   * ms: events it could not deliver meanwhile are unacknowledged, and it sends them again on the
   * next connection, if that comes within `REFRESH_GAP_MS`.
   */
  private refreshNoticeAt: number | undefined;
  /** Whether `start()` ran before: only the first start gives up on a refused token. */
  private started = false;
  /** During the first connection attempt the client's error lines are left to `start()`. */
  private firstAttempt = false;

  constructor(
    appToken: string,
    clientOptions: webApi.WebClientOptions,
    private readonly logger: Logger,
  ) {
    const clientLogger = boltLogger(logger, 'slack-socket-mode');
    this.client = new SocketModeClient({
      appToken,
      clientOptions,
      logger: {
        ...clientLogger,
        error: (...msg) => (this.firstAttempt ? clientLogger.debug : clientLogger.error)(...msg),
      },
    });
    this.client.on('slack_event', (envelope: SocketEnvelope) => {
      this.receive(envelope).catch((error: unknown) =>
        logger.warn('slack: could not acknowledge an envelope', { error }),
      );
    });
    // The client reconnects by itself (`State.Reconnecting`, never on `disconnect()`), and
    // `State.Connected` is Slack's `hello` on the new WebSocket.
    this.client.on('reconnecting', () => {
      this.reconnecting = true;
    });
    this.client.on('ws_message', (data: unknown, binary: boolean) => {
      if (!binary && isRefresh(data)) this.refreshNoticeAt = Date.now();
    });
    this.client.on('connected', () => {
      if (!this.reconnecting) return;
      this.reconnecting = false;
      const refreshed =
        this.refreshNoticeAt !== undefined && Date.now() - this.refreshNoticeAt < REFRESH_GAP_MS;
      this.refreshNoticeAt = undefined;
      if (refreshed) {
        logger.info('slack: Socket Mode connection refreshed');
        return;
      }
      logger.info('slack: Socket Mode connected again after losing its connection');
      for (const listener of this.reconnectedListeners) listener();
    });
  }

  /**
   * Calls `listener` each time the WebSocket is open again after it was lost (Slack may have
   * given up on events meanwhile), not on the first connection.
   */
  onReconnected(listener: () => void): void {
    this.reconnectedListeners.push(listener);
  }

  init(app: App): void {
    this.app = app;
  }

  /**
   * Opens the WebSocket. The first start makes one attempt without the client's retries, so an
   * app-level token Slack refuses (`invalid_auth`, or a bot token: `not_allowed_token_type`, which
   * the client would retry forever) fails the start; any other failure is then left to the
   * client's retries, as are reconnects for the rest of the process's life.
   */
  async start(): Promise<unknown> {
    if (this.started) return this.client.start();
    this.started = true;
    // The option is a constructor argument; the client reads this field at each failure (its type
    // marks it private; @slack/socket-mode is pinned, and the start tests fail if this changes).
    const client = this.client as unknown as { autoReconnectEnabled: boolean };
    client.autoReconnectEnabled = false;
    this.firstAttempt = true;
    try {
      return await this.client.start();
    } catch (error) {
      if (tokenRefusal(error)) throw error;
      this.logger.warn('slack: Socket Mode did not connect at start; retrying', { error });
    } finally {
      this.firstAttempt = false;
      client.autoReconnectEnabled = true;
    }
    return this.client.start();
  }

  async stop(): Promise<void> {
    await this.client.disconnect();
  }

  /** Whether the WebSocket is open (false while it reconnects). */
  connected(): boolean {
    return this.client.websocket?.isActive() ?? false;
  }

  private async receive(envelope: SocketEnvelope): Promise<void> {
    let acked = false;
    let response: Record<string, unknown> | undefined;
    const event: ReceiverEvent = {
      body: envelope.body,
      retryNum: envelope.retry_num,
      retryReason: envelope.retry_reason,
      ack: async (payload?: Record<string, unknown>) => {
        if (acked) return;
        acked = true;
        response = payload;
      },
    };
    try {
      await this.app?.processEvent(event);
    } catch (error) {
      // Left unacked, the envelope comes again: the listener may do better on Slack's next try.
      this.logger.error('slack: an envelope failed before its ack', { error });
      return;
    }
    if (acked) await envelope.ack(response);
  }
}

/**
 * Whether a raw Socket Mode message is Slack's notice that it will close the connection and wants
 * a new one (`refresh_requested`, or `warning` before recycling a server), not that the app was
 * disabled.
 */
function isRefresh(data: unknown): boolean {
  const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : '';
  if (!text.includes('"disconnect"')) return false;
  try {
    const message = JSON.parse(text) as { type?: unknown; reason?: unknown };
    return (
      message.type === 'disconnect' &&
      (message.reason === 'refresh_requested' || message.reason === 'warning')
    );
  } catch {
    return false;
  }
}
