import { afterEach, describe, expect, it } from 'vitest';
import { type HealthServer, startHealthServer } from '../../app/health.js';
import { createLogger } from '../../src/logger.js';

describe('the health server', () => {
  let server: HealthServer | undefined;
  let logs: string[] = [];

  const start = async (
    redis: () => Promise<boolean>,
    platforms: () => Record<string, boolean> = () => ({}),
    timeoutMs?: number,
  ) => {
    logs = [];
    const logger = createLogger({ write: (line) => logs.push(line) });
    server = await startHealthServer({
      port: 0,
      host: '127.0.0.1',
      redis,
      platforms,
      logger,
      timeoutMs,
    });
    return server;
  };
  const get = async (url: string, init?: RequestInit) => {
    const res = await fetch(url, init);
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), body: text };
  };

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers 200 with ok, Redis and every platform when all are up', async () => {
    const { url } = await start(
      async () => true,
      () => ({ slack: true, discord: true }),
    );
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/healthz$/);
    const res = await get(url);
    expect(res).toMatchObject({ status: 200, type: 'application/json' });
    expect(JSON.parse(res.body)).toEqual({
      ok: true,
      redis: true,
      platforms: { slack: true, discord: true },
    });
  });

  it('answers 503 when Redis does not answer', async () => {
    const { url } = await start(
      async () => false,
      () => ({ slack: true }),
    );
    const res = await get(url);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ ok: false, redis: false, platforms: { slack: true } });
    expect(logs.join('')).toContain('health: unhealthy');
  });

  it('answers 503 when a platform is disconnected, and 200 again once it is back', async () => {
    let discord = false;
    const { url } = await start(
      async () => true,
      () => ({ slack: true, discord }),
    );
    const down = await get(url);
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body)).toEqual({
      ok: false,
      redis: true,
      platforms: { slack: true, discord: false },
    });
    discord = true;
    expect((await get(url)).status).toBe(200);
    expect(logs.join('')).toContain('health: healthy again');
  });

  it('answers 503 when Redis hangs past the timeout or throws, still saying which platform is down', async () => {
    const { url } = await start(
      () => new Promise<boolean>(() => {}),
      () => ({ slack: true, discord: false }),
      100,
    );
    const res = await get(url);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toEqual({
      ok: false,
      redis: false,
      platforms: { slack: true, discord: false },
    });
    expect(logs.join('')).toContain('check timed out after 100 ms');
    await server?.close();

    const failing = await start(async () => {
      throw new Error('connection refused');
    });
    const thrown = await get(failing.url);
    expect(thrown.status).toBe(503);
    expect(JSON.parse(thrown.body)).toMatchObject({ ok: false, redis: false });
    expect(logs.join('')).toContain('check failed: connection refused');
  });

  it('shares one running check between concurrent requests', async () => {
    let calls = 0;
    const { url } = await start(async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return true;
    });
    const answers = await Promise.all([get(url), get(url), get(url)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(calls).toBe(1);
    await get(url);
    expect(calls).toBe(2);
  });

  it('answers 404 on any other path or method, without running the check', async () => {
    let calls = 0;
    const { url } = await start(async () => {
      calls++;
      return true;
    });
    const base = url.replace('/healthz', '');
    expect((await get(`${base}/`)).status).toBe(404);
    expect((await get(`${base}/healthz/extra`)).status).toBe(404);
    expect((await get(`${base}/slack/events`)).status).toBe(404);
    expect((await get(url, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(calls).toBe(0);
    expect((await get(`${url}?verbose=1`)).status).toBe(200);
  });

  it('refuses to start on a port in use, naming the variable', async () => {
    const first = await start(async () => true);
    const port = Number(new URL(first.url).port);
    await expect(
      startHealthServer({
        port,
        host: '127.0.0.1',
        redis: async () => true,
        platforms: () => ({}),
        logger: createLogger({ write: () => {} }),
      }),
    ).rejects.toThrow(/MOCKDESIGN_HEALTH_PORT\): EADDRINUSE/);
  });
});
