/**
 * Socket Mode: `apps.connections.open` hands out a `ws://` URL served here, and tests push
 * envelopes (slash commands, events, interactivity) to the app and read its acks.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import {
  type BlockActionInput,
  buildBlockActionsPayload,
  buildEventCallback,
  buildSlashCommandPayload,
  type EventCallbackOptions,
  type SlashCommandInput,
} from './payloads.js';
import { DEFAULT_WAIT_MS } from './records.js';
import type { SlackPayload, SlackWorkspace } from './workspace.js';

/** A Socket Mode envelope pushed to the app. */
export interface SocketModeEnvelope {
  /** Id the app must echo in its ack. */
  envelope_id: string;
  /** Envelope kind: `slash_commands`, `events_api`, `interactive`. */
  type: string;
  /** The same payload the HTTP transport would carry. */
  payload: SlackPayload;
  /** Whether the ack may carry a response payload (commands, some interactivity). */
  accepts_response_payload: boolean;
  /** Redelivery count (events only). */
  retry_attempt?: number;
  /** Why it was redelivered (events only). */
  retry_reason?: string;
}

/** The app's acknowledgement of an envelope. */
export interface SocketModeAck {
  /** The envelope acked. */
  envelope_id: string;
  /** The response payload the app acked with (`{}` for a bare `ack()`). */
  payload?: SlackPayload;
  /** When it arrived (`Date.now()`). */
  at: number;
}

/** Options of the Socket Mode side, set through {@link FakeSlackOptions}. */
interface FakeSlackSocketOptions {
  pingIntervalMs: number;
  ackTimeoutMs: number;
  onChange: () => void;
}

interface PendingAck {
  resolve: (ack: SocketModeAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Slack's Socket Mode server: `apps.connections.open` issues single-use `ws://` URLs; on connect
 * the server says `hello`; tests push envelopes to the newest open connection and get the app's
 * ack back. The client's pings are answered with pongs (by `ws`), and the server pings too.
 */
export class FakeSlackSocket {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly connections: WebSocket[] = [];
  private readonly pending = new Map<string, PendingAck>();
  private readonly recordedEnvelopes: SocketModeEnvelope[] = [];
  private readonly recordedAcks: SocketModeAck[] = [];
  private connectionCount = 0;

  /** Created by {@link FakeSlack}; reach it as `fake.socket`. */
  constructor(
    private readonly workspace: SlackWorkspace,
    private readonly url: string,
    private readonly options: FakeSlackSocketOptions,
  ) {}

  /** Envelopes pushed to the app, in order. */
  get envelopes(): readonly SocketModeEnvelope[] {
    return this.recordedEnvelopes;
  }

  /** Acks received from the app, in order. */
  get acks(): readonly SocketModeAck[] {
    return this.recordedAcks;
  }

  /** Number of open connections. */
  get openConnections(): number {
    return this.connections.length;
  }

  /** Number of connections ever accepted (grows by one on each reconnect). */
  get totalConnections(): number {
    return this.connectionCount;
  }

  /** Issues a single-use connection URL, as `apps.connections.open` does. */
  issueUrl(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${this.url}?ticket=${ticket}&app_id=${this.workspace.appId}`;
  }

  /** Waits until at least `count` connections were ever accepted and one is open. */
  async waitForConnection(count = 1, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.connectionCount < count || this.connections.length === 0) {
      if (Date.now() > deadline) {
        throw new Error(
          `fake Slack socket: ${this.connectionCount} connection(s) after ${timeoutMs} ms, wanted ${count}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Pushes an envelope to the newest open connection and resolves with the app's ack. */
  async send(envelope: Omit<SocketModeEnvelope, 'envelope_id'>): Promise<SocketModeAck> {
    await this.waitForConnection(1, this.options.ackTimeoutMs);
    const connection = this.connections.at(-1);
    if (!connection) throw new Error('fake Slack socket: no open connection');
    const full: SocketModeEnvelope = { envelope_id: randomUUID(), ...envelope };
    this.recordedEnvelopes.push(full);
    const acked = new Promise<SocketModeAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(full.envelope_id);
        reject(
          new Error(
            `fake Slack socket: ${full.type} envelope not acked within ${this.options.ackTimeoutMs} ms`,
          ),
        );
      }, this.options.ackTimeoutMs);
      this.pending.set(full.envelope_id, { resolve, reject, timer });
    });
    connection.send(JSON.stringify(full));
    return acked;
  }

  /** Pushes a slash command (`slash_commands`); the ack may carry a response payload. */
  sendSlashCommand(input: SlashCommandInput = {}): Promise<SocketModeAck> {
    return this.send({
      type: 'slash_commands',
      payload: buildSlashCommandPayload(this.workspace, input),
      accepts_response_payload: true,
    });
  }

  /**
   * Pushes an event (`events_api`) in its `event_callback` envelope; a person's message event is
   * kept in the conversation first, as Slack keeps it whether or not the app acks.
   */
  sendEvent(
    event: SlackPayload,
    options: EventCallbackOptions & { retryAttempt?: number; retryReason?: string } = {},
  ): Promise<SocketModeAck> {
    this.workspace.keepPersonMessage(event, true);
    return this.send({
      type: 'events_api',
      payload: buildEventCallback(this.workspace, event, options),
      accepts_response_payload: false,
      retry_attempt: options.retryAttempt ?? 0,
      retry_reason: options.retryReason ?? '',
    });
  }

  /** Pushes a button click (`interactive`, `block_actions`). */
  sendAction(input: BlockActionInput): Promise<SocketModeAck> {
    return this.send({
      type: 'interactive',
      payload: buildBlockActionsPayload(this.workspace, input),
      accepts_response_payload: false,
    });
  }

  /**
   * Tells every connection to go away, as Slack does before recycling a server (`warning`,
   * `refresh_requested`) or when the app is disabled (`link_disabled`); the client reconnects.
   */
  disconnect(
    reason: 'refresh_requested' | 'warning' | 'link_disabled' = 'refresh_requested',
  ): void {
    const message = JSON.stringify({
      type: 'disconnect',
      reason,
      debug_info: { host: 'fake-slack-socket' },
    });
    for (const connection of this.connections) connection.send(message);
  }

  /** Drops every connection without a close handshake, like a network failure. */
  terminateConnections(): void {
    for (const connection of [...this.connections]) connection.terminate();
  }

  /** Forgets recorded envelopes and acks; open connections stay. */
  reset(): void {
    this.recordedEnvelopes.length = 0;
    this.recordedAcks.length = 0;
  }

  /** Handles an HTTP upgrade on the fake's server; only `/socket` with an issued ticket is accepted. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/socket' || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (connection) => this.accept(connection));
  }

  /**
   * Rejects pending acks and closes every connection with a close handshake (code 1001, going
   * away), terminating any peer that does not answer within a second. Stop the app first: a
   * client that is not shutting down reconnects, and the fake is gone.
   */
  async close(): Promise<void> {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error('fake Slack socket closed'));
      this.pending.delete(id);
    }
    await Promise.all(this.connections.map((connection) => closeGracefully(connection, 1_000)));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(connection: WebSocket): void {
    this.connections.push(connection);
    this.connectionCount += 1;
    const pinger =
      this.options.pingIntervalMs > 0
        ? setInterval(() => connection.ping(), this.options.pingIntervalMs).unref()
        : undefined;
    connection.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    connection.on('error', () => connection.terminate());
    connection.on('close', () => {
      clearInterval(pinger);
      const index = this.connections.indexOf(connection);
      if (index >= 0) this.connections.splice(index, 1);
      this.options.onChange();
    });
    connection.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.connections.length,
        debug_info: {
          host: 'fake-slack-socket',
          build_number: 1,
          approximate_connection_time: 18_060,
        },
        connection_info: { app_id: this.workspace.appId },
      }),
    );
    this.options.onChange();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    let message: unknown;
    try {
      message = JSON.parse(rawDataToString(data));
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { envelope_id: envelopeId, payload } = message as SlackPayload;
    if (typeof envelopeId !== 'string') return;
    const ack: SocketModeAck = {
      envelope_id: envelopeId,
      payload:
        typeof payload === 'object' && payload !== null ? (payload as SlackPayload) : undefined,
      at: Date.now(),
    };
    this.recordedAcks.push(ack);
    const pending = this.pending.get(envelopeId);
    if (pending) {
      clearTimeout(pending.timer);
      this.pending.delete(envelopeId);
      pending.resolve(ack);
    }
    this.options.onChange();
  }
}

/**
 * Closes with a handshake: a hard close while the client is mid-handshake (as after Bolt's
 * `app.stop()`) makes the client log a WebSocket error.
 */
function closeGracefully(connection: WebSocket, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (connection.readyState === connection.CLOSED) {
      resolve();
      return;
    }
    const timer = setTimeout(() => connection.terminate(), timeoutMs);
    connection.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (connection.readyState === connection.OPEN) connection.close(1001, 'fake Slack closing');
  });
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
