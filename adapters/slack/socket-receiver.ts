import type { App, Receiver, ReceiverEvent, webApi } from '@slack/bolt';
import { SocketModeClient } from '@slack/socket-mode';
import type { Logger } from '../../src/logger.js';
import { boltLogger } from './bolt-logger.js';

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

  constructor(
    appToken: string,
    clientOptions: webApi.WebClientOptions,
    private readonly logger: Logger,
  ) {
    this.client = new SocketModeClient({
      appToken,
      clientOptions,
      logger: boltLogger(logger, 'slack-socket-mode'),
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
    this.client.on('connected', () => {
      if (!this.reconnecting) return;
      this.reconnecting = false;
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

  start(): Promise<unknown> {
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
