import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockdesignError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';

/** Path of the health check. */
export const HEALTHZ_PATH = '/healthz';

/** Default bound of one check of Redis: a `PING` still unanswered after this counts as down. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 2_000;

/** What a health check found. */
export interface HealthReport {
  /** Redis answered (a `PING`, say) in time. */
  readonly redis: boolean;
  /** Each platform of the process by name, and whether it is connected (`ChatPlatform.connected`). */
  readonly platforms: Readonly<Record<string, boolean>>;
}

export interface HealthServerOptions {
  /** Port to listen on (`MOCKDESIGN_HEALTH_PORT`, default 8080); 0 picks a free port. */
  readonly port: number;
  /**
   * Interface to bind (default every interface, so a port published by Docker reaches it; the
   * compose file publishes it on the host's 127.0.0.1 only).
   */
  readonly host?: string;
  /** Asks Redis (a `PING`, say); it may reject or hang, both count as Redis down. */
  readonly redis: () => Promise<boolean>;
  /**
   * Each platform of the process by name, and whether it is connected: known without a round
   * trip, so a Redis that hangs never hides which platform is down.
   */
  readonly platforms: () => Readonly<Record<string, boolean>>;
  /** Where changes of health are logged (not every request: probes come every few seconds). */
  readonly logger: Logger;
  /** Bound of one check of Redis in milliseconds (default 2 000). */
  readonly timeoutMs?: number;
}

/** A running health server. */
export interface HealthServer {
  /** The check's address, e.g. `http://127.0.0.1:8080/healthz`. */
  readonly url: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/** The body of every `/healthz` answer: 200 when `ok`, else 503. */
interface HealthBody extends HealthReport {
  readonly ok: boolean;
}

/**
 * A plain HTTP server for container and load-balancer health checks. `GET /healthz` answers 200
 * with `{ ok: true, redis: true, platforms: { slack: true } }` when Redis answers and every
 * platform is connected, else 503 with the same shape and `ok: false`; any other request gets 404.
 * Concurrent requests share one running check of Redis, and it is cut off after `timeoutMs`.
 */
export async function startHealthServer(o: HealthServerOptions): Promise<HealthServer> {
  const timeoutMs = o.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  let running: Promise<RedisOutcome> | undefined;
  let lastOk: boolean | undefined;

  // One check at a time: a flood of probes (or a hung Redis) never stacks up checks.
  const checkOnce = async (): Promise<Outcome> => {
    if (!running) {
      const started = bounded(o.redis, timeoutMs);
      running = started;
      void started.then(() => {
        if (running === started) running = undefined;
      });
    }
    const redis = await running;
    return { report: { redis: redis.answered, platforms: o.platforms() }, problem: redis.problem };
  };

  const report = (outcome: Outcome): HealthBody => {
    const body = bodyFor(outcome.report);
    if (body.ok !== lastOk) {
      // Log the changes only; the first healthy answer is not news.
      if (!body.ok) {
        o.logger.warn('health: unhealthy', { ...outcome.report, problem: outcome.problem });
      } else if (lastOk === false) {
        o.logger.info('health: healthy again', { ...outcome.report });
      }
      lastOk = body.ok;
    }
    return body;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!isHealthRequest(req)) {
      send(res, 404, { error: 'not found' });
      return;
    }
    const body = report(await checkOnce());
    send(res, body.ok ? 200 : 503, body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      o.logger.error('health: request failed', { error });
      if (!res.headersSent) send(res, 503, { ok: false, redis: false, platforms: {} });
      else res.destroy();
    });
  });
  // A probe is tiny: no reason to hold a slow client's socket for minutes.
  server.headersTimeout = 5_000;
  server.requestTimeout = 5_000 + timeoutMs;

  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      reject(
        new MockdesignError(
          'health_listen',
          `the health server could not listen on port ${o.port} (MOCKDESIGN_HEALTH_PORT): ${error.code ?? error.message}`,
          { cause: error },
        ),
      );
    };
    server.once('error', failed);
    server.listen(o.port, o.host, () => {
      server.off('error', failed);
      resolve();
    });
  });
  server.on('error', (error) => o.logger.error('health: server error', { error }));

  const address = server.address() as AddressInfo;
  const url = `http://${urlHost(o.host)}:${address.port}${HEALTHZ_PATH}`;
  o.logger.info('health: listening', { url });

  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A check's report, and why Redis counts as down when it did not answer in time or failed. */
interface Outcome {
  readonly report: HealthReport;
  readonly problem?: string;
}

/** Whether Redis answered, and why not when the check timed out or failed. */
interface RedisOutcome {
  readonly answered: boolean;
  readonly problem?: string;
}

/** Runs `check` within `timeoutMs`; never rejects: a timeout or an error is Redis down. */
async function bounded(check: () => Promise<boolean>, timeoutMs: number): Promise<RedisOutcome> {
  const down = (problem: string): RedisOutcome => ({ answered: false, problem });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<RedisOutcome>((resolve) => {
    timer = setTimeout(() => resolve(down(`check timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([
      Promise.resolve()
        .then(check)
        .then(
          (answered) => ({ answered }),
          (error: unknown) =>
            down(`check failed: ${error instanceof Error ? error.message : String(error)}`),
        ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** `ok` only when Redis answered and every platform is connected. */
function bodyFor(report: HealthReport): HealthBody {
  const redis = report.redis === true;
  const platforms = { ...report.platforms };
  const ok = redis && Object.values(platforms).every((connected) => connected === true);
  return { ok, redis, platforms };
}

function isHealthRequest(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = (req.url ?? '').split('?', 1)[0];
  return path === HEALTHZ_PATH;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Where a local client reaches a server bound to `host`. */
function urlHost(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
