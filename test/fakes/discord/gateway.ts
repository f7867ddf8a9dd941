/**
 * The gateway: WebSocket connections at `/gateway` speaking Discord's JSON protocol (HELLO,
 * heartbeats, IDENTIFY with intent and shard checks, READY and GUILD_CREATE, RESUME with a
 * replayed backlog, member chunks) and the dispatches the rest of the fake broadcasts.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { asRecord, isRecord, type Json } from './json.js';
import { guildPayload } from './payloads.js';
import { GATEWAY_VERSION, KNOWN_INTENTS, MAX_BACKLOG, Op, PRIVILEGED_INTENTS } from './protocol.js';
import type {
  RecordedDispatch,
  RecordedGatewayConnection,
  RecordedGatewayFrame,
} from './records.js';
import type { DiscordState } from './state.js';
import { channelsSeenByBot } from './thread-members.js';

/** A dispatch frame (op 0) as sent, and as kept for RESUME. */
interface DispatchFrame {
  op: 0;
  t: string;
  s: number;
  d: unknown;
}

/** An identified session; it outlives its connection until the client ends it. */
export interface GatewaySession {
  /** `session_id`, for RESUME. */
  id: string;
  /** The intents it identified with. */
  intents: number;
  /** `[shardId, shardCount]`. */
  shard: [number, number];
  /** The last sequence number sent. */
  seq: number;
  /** Its open connection; `null` while disconnected (dispatches queue in `backlog`). */
  socket: WebSocket | null;
  /** Whether READY and every GUILD_CREATE were sent. */
  ready: boolean;
  /** The latest dispatches, replayed on RESUME. */
  backlog: DispatchFrame[];
}

interface GatewayConnection {
  socket: WebSocket;
  session?: GatewaySession;
}

/** How the gateway behaves, from `FakeDiscordOptions`. */
export interface GatewaySettings {
  /** `heartbeat_interval` sent in HELLO, in ms. */
  heartbeatIntervalMs: number;
  /** Privileged intents an IDENTIFY may ask for. */
  allowedPrivilegedIntents: number;
}

/** The gateway's sessions and connections, and what they sent and received. */
export class Gateway {
  /** The URL clients connect to, handed out by `GET /gateway/bot`; set once the server listens. */
  url = '';
  /** Frames clients sent. */
  readonly received: RecordedGatewayFrame[] = [];
  /** Connections clients opened. */
  readonly connections: RecordedGatewayConnection[] = [];
  /** Dispatches sent (or queued while a session was disconnected). */
  readonly dispatched: RecordedDispatch[] = [];

  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly sessions = new Map<string, GatewaySession>();
  private identifies = 0;
  private closed = false;

  /** A gateway onto `state`. */
  constructor(
    private readonly state: DiscordState,
    private readonly settings: GatewaySettings,
  ) {}

  /** How many IDENTIFYs succeeded, for `session_start_limit`. */
  get identifyCount(): number {
    return this.identifies;
  }

  /** Whether a session has received READY and every GUILD_CREATE. */
  hasReadySession(): boolean {
    return [...this.sessions.values()].some((session) => session.ready);
  }

  /** Throws unless a session is ready: before that, dispatches would reach nobody. */
  requireReadySession(): void {
    if (!this.hasReadySession()) {
      throw new Error(
        'fake-discord: no gateway session is ready; wait for Events.ClientReady or fake.waitForReady() first',
      );
    }
  }

  /** Sends a raw dispatch (op 0) to every ready session; no intent filtering. */
  dispatch(event: string, data: unknown): void {
    for (const session of this.sessions.values()) {
      if (session.ready) this.sendDispatch(session, event, data);
    }
    this.state.changed();
  }

  /** Sends op 7 Reconnect on every connection. */
  requestReconnect(): void {
    for (const socket of this.sockets) {
      sendFrame(socket, { op: Op.Reconnect, d: null, s: null, t: null });
    }
  }

  /** Closes every connection with `code`; the sessions stay and queue dispatches for RESUME. */
  dropConnections(code: number): void {
    for (const session of this.sessions.values()) session.socket = null;
    for (const socket of this.sockets) socket.close(code, 'fake-discord dropped the connection');
  }

  /** Refuses new connections, terminates the open ones and closes the WebSocket server. */
  async close(): Promise<void> {
    this.closed = true;
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /** Accepts a WebSocket upgrade at `/gateway` while the fake is open. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (this.closed || (url.pathname !== '/gateway' && url.pathname !== '/gateway/')) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.onConnection(ws, url.searchParams);
    });
  }

  private onConnection(socket: WebSocket, query: URLSearchParams): void {
    this.sockets.add(socket);
    this.connections.push({ query: Object.fromEntries(query), at: Date.now() });
    const connection: GatewayConnection = { socket };
    socket.on('message', (data, isBinary) => this.onMessage(connection, data, isBinary));
    socket.on('close', (code) => this.onClose(connection, code));
    socket.on('error', () => socket.terminate());
    sendFrame(socket, {
      op: Op.Hello,
      d: {
        heartbeat_interval: this.settings.heartbeatIntervalMs,
        _trace: ['["fake-discord-gateway"]'],
      },
      s: null,
      t: null,
    });
    this.state.changed();
  }

  private onMessage(connection: GatewayConnection, data: RawData, isBinary: boolean): void {
    const { socket } = connection;
    let frame: unknown;
    try {
      if (isBinary) throw new Error('binary frames (ETF, compression) are not supported');
      frame = JSON.parse(rawToString(data));
    } catch {
      socket.close(4002, 'Error while decoding payload.');
      return;
    }
    if (!isRecord(frame) || typeof frame.op !== 'number') {
      socket.close(4002, 'Error while decoding payload.');
      return;
    }
    const received: RecordedGatewayFrame = { op: frame.op, d: frame.d, at: Date.now() };
    if (connection.session) received.sessionId = connection.session.id;
    this.received.push(received);

    switch (frame.op) {
      case Op.Heartbeat:
        sendFrame(socket, { op: Op.HeartbeatAck, d: null, s: null, t: null });
        break;
      case Op.Identify:
        this.identify(connection, asRecord(frame.d));
        break;
      case Op.Resume:
        this.resume(connection, asRecord(frame.d));
        break;
      case Op.PresenceUpdate:
      case Op.VoiceStateUpdate:
        if (!connection.session) socket.close(4003, 'Not authenticated.');
        break;
      case Op.RequestGuildMembers:
        if (!connection.session) socket.close(4003, 'Not authenticated.');
        else this.sendMemberChunk(connection.session, asRecord(frame.d));
        break;
      default:
        socket.close(4001, 'Unknown opcode.');
    }
    this.state.changed();
  }

  private identify(connection: GatewayConnection, d: Json): void {
    const { socket } = connection;
    if (connection.session) {
      socket.close(4005, 'Already authenticated.');
      return;
    }
    if (d.token !== this.state.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    const intents = d.intents;
    if (typeof intents !== 'number' || (intents & ~KNOWN_INTENTS) !== 0) {
      socket.close(4013, 'Invalid intent(s).');
      return;
    }
    if ((intents & PRIVILEGED_INTENTS & ~this.settings.allowedPrivilegedIntents) !== 0) {
      socket.close(4014, 'Disallowed intent(s).');
      return;
    }
    const shard = Array.isArray(d.shard) ? d.shard : [0, 1];
    const [shardId, shardCount] = shard;
    if (
      typeof shardId !== 'number' ||
      typeof shardCount !== 'number' ||
      shardCount < 1 ||
      shardId < 0 ||
      shardId >= shardCount
    ) {
      socket.close(4010, 'Invalid shard.');
      return;
    }

    const session: GatewaySession = {
      id: randomBytes(16).toString('hex'),
      intents,
      shard: [shardId, shardCount],
      seq: 0,
      socket,
      ready: false,
      backlog: [],
    };
    this.sessions.set(session.id, session);
    connection.session = session;
    this.identifies += 1;

    const guilds = [...this.state.guilds.values()].filter((g) =>
      this.sessionHasGuild(session, g.id),
    );
    this.sendDispatch(session, 'READY', {
      v: GATEWAY_VERSION,
      user: { ...this.state.botUser, verified: true, mfa_enabled: false, email: null, flags: 0 },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: this.url,
      shard: session.shard,
      application: { id: this.state.applicationId, flags: this.state.applicationFlags },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      _trace: ['["fake-discord-gateway"]'],
    });
    const seen = channelsSeenByBot(this.state);
    for (const guild of guilds)
      this.sendDispatch(session, 'GUILD_CREATE', guildPayload(guild, seen));
    session.ready = true;
  }

  private resume(connection: GatewayConnection, d: Json): void {
    const { socket } = connection;
    if (connection.session) {
      socket.close(4005, 'Already authenticated.');
      return;
    }
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    const oldest = session?.backlog[0]?.s ?? 1;
    if (!session || d.token !== this.state.token || oldest > seq + 1) {
      sendFrame(socket, { op: Op.InvalidSession, d: false, s: null, t: null });
      return;
    }
    if (seq > session.seq) {
      socket.close(4007, 'Invalid seq.');
      return;
    }
    if (session.socket && session.socket !== socket) session.socket.close(4009, 'Session resumed');
    session.socket = socket;
    connection.session = session;
    for (const frame of session.backlog) {
      if (frame.s > seq) sendFrame(socket, frame);
    }
    this.sendDispatch(session, 'RESUMED', { _trace: ['["fake-discord-gateway"]'] });
  }

  private onClose(connection: GatewayConnection, code: number): void {
    this.sockets.delete(connection.socket);
    const session = connection.session;
    if (session && session.socket === connection.socket) {
      session.socket = null;
      // Like Discord: a client closing with 1000/1001 ends its session; other codes keep it resumable.
      if (code === 1000 || code === 1001) this.sessions.delete(session.id);
    }
    this.state.changed();
  }

  private sendMemberChunk(session: GatewaySession, d: Json): void {
    const guild = typeof d.guild_id === 'string' ? this.state.guilds.get(d.guild_id) : undefined;
    if (!guild) return;
    const ids = Array.isArray(d.user_ids) ? d.user_ids.map(String) : undefined;
    const query = typeof d.query === 'string' ? d.query.toLowerCase() : '';
    const limit = typeof d.limit === 'number' && d.limit > 0 ? d.limit : Number.POSITIVE_INFINITY;
    const members = [...guild.members.values()]
      .filter((m) =>
        ids ? ids.includes(m.user.id) : m.user.username.toLowerCase().startsWith(query),
      )
      .slice(0, limit);
    const chunk: Json = { guild_id: guild.id, members, chunk_index: 0, chunk_count: 1 };
    if (ids) chunk.not_found = ids.filter((id) => !guild.members.has(id));
    if (d.nonce !== undefined) chunk.nonce = d.nonce;
    this.sendDispatch(session, 'GUILD_MEMBERS_CHUNK', chunk);
  }

  private sessionHasGuild(session: GatewaySession, guildId: string): boolean {
    const [shardId, shardCount] = session.shard;
    return Number((BigInt(guildId) >> 22n) % BigInt(shardCount)) === shardId;
  }

  private sendDispatch(session: GatewaySession, event: string, data: unknown): void {
    session.seq += 1;
    const frame: DispatchFrame = { op: Op.Dispatch, t: event, s: session.seq, d: data };
    session.backlog.push(frame);
    if (session.backlog.length > MAX_BACKLOG) session.backlog.shift();
    this.dispatched.push({ sessionId: session.id, event, seq: session.seq, data, at: Date.now() });
    if (session.socket) sendFrame(session.socket, frame);
  }

  /** Dispatches to every ready session whose shard holds the guild and whose intents include `intent`. */
  broadcast(
    event: string,
    data: unknown,
    options: { guildId: string; intent?: number; shape?: (session: GatewaySession) => unknown },
  ): void {
    for (const session of this.sessions.values()) {
      if (!session.ready || !this.sessionHasGuild(session, options.guildId)) continue;
      if (options.intent !== undefined && (session.intents & options.intent) === 0) continue;
      this.sendDispatch(session, event, options.shape ? options.shape(session) : data);
    }
  }

  /**
   * Dispatches a DM event: Discord sends DMs on shard 0 only, to sessions whose intents include
   * `intent` (DirectMessages for messages).
   */
  broadcastDirect(event: string, data: unknown, intent: number): void {
    for (const session of this.sessions.values()) {
      if (!session.ready || session.shard[0] !== 0 || (session.intents & intent) === 0) continue;
      this.sendDispatch(session, event, data);
    }
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

function sendFrame(socket: WebSocket, frame: unknown): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
}
