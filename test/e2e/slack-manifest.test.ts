/** The app manifests: what a person pastes into Slack to create the app, in both modes. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

type Manifest = {
  features: {
    slash_commands: { command: string; url?: string }[];
    app_home: { messages_tab_enabled: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    socket_mode_enabled: boolean;
  };
};

const load = async (name: string) =>
  parse(
    await readFile(new URL(`../../adapters/slack/${name}`, import.meta.url), 'utf8'),
  ) as Manifest;

describe('Slack app manifests', () => {
  it('HTTP: /mockdesign, thread message events and interactivity all on /slack/events', async () => {
    const m = await load('manifest.yml');
    expect(m.features.slash_commands).toMatchObject([
      { command: '/mockdesign', url: expect.stringMatching(/\/slack\/events$/) },
    ]);
    expect(m.settings.event_subscriptions.request_url).toMatch(/\/slack\/events$/);
    expect(m.settings.interactivity).toMatchObject({
      is_enabled: true,
      request_url: expect.stringMatching(/\/slack\/events$/),
    });
    expect(m.settings.socket_mode_enabled).toBe(false);
  });

  it('Socket Mode: the same command, events and scopes, without URLs', async () => {
    const http = await load('manifest.yml');
    const socket = await load('manifest.socket-mode.yml');
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(socket.features.slash_commands[0]?.url).toBeUndefined();
    expect(socket.settings.event_subscriptions.request_url).toBeUndefined();
    expect(socket.settings.interactivity).toEqual({ is_enabled: true });
    expect(socket.oauth_config.scopes.bot).toEqual(http.oauth_config.scopes.bot);
    expect(socket.settings.event_subscriptions.bot_events).toEqual(
      http.settings.event_subscriptions.bot_events,
    );
  });

  it('asks for what the adapter uses and nothing more', async () => {
    const m = await load('manifest.yml');
    expect([...m.oauth_config.scopes.bot].sort()).toEqual(
      [
        'channels:history',
        'chat:write',
        'commands',
        'files:write',
        'groups:history',
        'im:history',
        'im:write',
        'mpim:history',
        'users:read',
      ].sort(),
    );
    expect(m.settings.event_subscriptions.bot_events.sort()).toEqual([
      'message.channels',
      'message.groups',
      'message.im',
      'message.mpim',
    ]);
    expect(m.features.app_home.messages_tab_enabled).toBe(true);
  });
});
