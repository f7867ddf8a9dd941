/**
 * `ChatPlatform.connected()`, which the health check reports: the real Bolt and discord.js
 * clients against the fake platforms, through start, a lost connection and stop.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDiscordPlatform, type DiscordPlatform } from '../../adapters/discord/index.js';
import { createLogger } from '../../src/logger.js';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/index.js';
import { platformOnFake } from './slack-harness.js';

const logger = createLogger({ write: () => {} });
const handler = async () => ({});
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function slack(options: { socket?: boolean; listen?: boolean } = {}) {
  return platformOnFake(cleanups, { socket: options.socket, listen: options.listen ?? true });
}

async function discord(listen = true) {
  const fake: FakeDiscord = await startFakeDiscord();
  const platform: DiscordPlatform = createDiscordPlatform(
    { token: fake.token, appId: fake.applicationId, guildId: fake.guildId, apiUrl: fake.apiUrl },
    { listen, logger },
  );
  cleanups.push(() => fake.close());
  cleanups.push(() => platform.stop());
  return { fake, platform };
}

describe('Slack reports its connection', () => {
  it('over HTTP: connected once started, not before and not after stop', async () => {
    const { platform } = await slack();
    expect(platform.connected?.()).toBe(false);
    await platform.start(handler);
    expect(platform.connected?.()).toBe(true);
    await platform.stop();
    expect(platform.connected?.()).toBe(false);
  });

  it('over Socket Mode: follows the WebSocket, false while it is lost, true once reconnected', async () => {
    const { fake, platform } = await slack({ socket: true });
    await platform.start(handler);
    expect(platform.connected?.()).toBe(true);
    fake.socket.terminateConnections();
    await vi.waitFor(() => expect(platform.connected?.()).toBe(false), { timeout: 5_000 });
    await vi.waitFor(() => expect(platform.connected?.()).toBe(true), { timeout: 20_000 });
    await platform.stop();
    expect(platform.connected?.()).toBe(false);
  });

  it('over Socket Mode: reconnects when Slack refuses the first new connection, and keeps running', async () => {
    const { fake, platform } = await slack({ socket: true });
    await platform.start(handler);
    // The WebSocket drops, and the first request for a new one meets a server error.
    fake.failNext('apps.connections.open', { status: 503 });
    fake.socket.terminateConnections();
    await vi.waitFor(() => expect(platform.connected?.()).toBe(false), { timeout: 5_000 });
    await vi.waitFor(() => expect(platform.connected?.()).toBe(true), { timeout: 30_000 });
    expect(fake.callsTo('apps.connections.open').map((c) => c.status)).toContain(503);
  }, 60_000);

  it('over Socket Mode: a first start Slack answers with an error other than a refused token is retried', async () => {
    const { fake, platform } = await slack({ socket: true });
    fake.failNext('apps.connections.open', { error: 'internal_error' });
    await platform.start(handler);
    expect(platform.connected?.()).toBe(true);
    expect(fake.callsTo('apps.connections.open').map((c) => c.error)).toEqual([
      'internal_error',
      undefined,
    ]);
  }, 60_000);

  it('outbound only (a worker): always connected', async () => {
    const { platform } = await slack({ listen: false });
    expect(platform.connected?.()).toBe(true);
  });
});

describe('Discord reports its connection', () => {
  it('connected once the gateway is ready, false when it is closed for good and after stop', async () => {
    const { fake, platform } = await discord();
    expect(platform.connected?.()).toBe(false);
    await platform.start(handler);
    expect(platform.connected?.()).toBe(true);
    // 4014 (disallowed intents) is not resumable: the shard stays disconnected.
    fake.dropGatewayConnections(4014);
    await vi.waitFor(() => expect(platform.connected?.()).toBe(false), { timeout: 5_000 });
    await platform.stop();
    expect(platform.connected?.()).toBe(false);
  });

  it('outbound only (a worker): always connected', async () => {
    const { platform } = await discord(false);
    expect(platform.connected?.()).toBe(true);
  });
});
