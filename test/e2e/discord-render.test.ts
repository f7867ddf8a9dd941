import { describe, expect, it } from 'vitest';
import { decodeAddress, encodeAddress, messageLink } from '../../adapters/discord/address.js';
import {
  charCount,
  EMBED_LIMITS,
  embedLength,
  fitLines,
  splitContent,
  truncate,
} from '../../adapters/discord/embed-limits.js';
import { deliveryNonce } from '../../adapters/discord/nonce.js';
import { renderMessage } from '../../adapters/discord/render.js';
import { commandFromSlash, type SlashOptions } from '../../adapters/discord/slash-command.js';
import { loadLibrary } from '../../rubric/load.js';
import type { Origin } from '../../src/commands/command.js';
import { UserError } from '../../src/errors.js';
import { plannedPhases } from '../../src/round/timeline.js';
import type { Scorecard } from '../../src/scoring/scorecard.js';
import { validateMessageBody } from '../fakes/discord/validation.js';

const PLACE = { guildId: '1300000000000000100', channelId: '1300000000000000999' };

/** A scorecard far beyond every embed limit: 30 criteria, long quotes, many flags. */
function hugeScorecard(): Scorecard {
  const quote = (n: number) =>
    `quote ${n} ${'a very long sentence with *markdown* and ](links) '.repeat(30)}`;
  return {
    prompt: 'Design a platform '.repeat(40),
    minutes: 45,
    overall: 61,
    band: 'Hire with reservations',
    criteria: Array.from({ length: 30 }, (_, i) => ({
      id: `c${i}`,
      name: `Criterion ${i} ${'with a long name '.repeat(20)}`,
      weight: 3,
      level: i % 5,
      rationale: 'Because '.repeat(300),
      evidence: Array.from({ length: 8 }, (_, j) => ({
        quote: quote(j),
        at: 60 * j,
        messageId: `1400000000000000${String(i * 10 + j).padStart(3, '0')}`,
      })),
      lowConfidence: i === 0,
    })),
    flags: Array.from({ length: 40 }, (_, i) => ({
      id: `f${i}`,
      name: `Flag ${i}`,
      quote: quote(i),
      at: 30 * i,
      messageId: `15000000000000${i}`,
    })),
    phaseDiscipline: {
      hypothesisAt: 95,
      hypothesisInFraming: true,
      phases: [{ id: 'framing', name: 'Framing', seconds: 900, words: 300 }],
    },
    triad: { choices: [], linked: 2, total: 5 },
    improvements: Array.from({ length: 20 }, (_, i) => ({
      text: `Improvement ${i} ${'do better '.repeat(30)}`,
      before: quote(i),
      after: quote(i + 1),
    })),
    engine: { name: 'llm', model: 'gpt-4o-mini', reason: 'x'.repeat(3000) },
    warnings: Array.from({ length: 50 }, (_, i) => `warning ${i} ${'careful '.repeat(10)}`),
  };
}

describe('Discord addresses', () => {
  it('round-trips discord:GUILD:CHANNEL and refuses anything else', () => {
    const address = encodeAddress(PLACE);
    expect(address).toBe('discord:1300000000000000100:1300000000000000999');
    expect(decodeAddress(address)).toEqual(PLACE);
    for (const bad of ['slack:T1:C1', 'discord:1:2:3', 'discord:1', 'discord:G1:THREAD1', '']) {
      expect(() => decodeAddress(bad)).toThrow(/not a Discord address/);
    }
    expect(() => encodeAddress({ guildId: 'G:1', channelId: '2' })).toThrow();
    expect(messageLink(PLACE, '42')).toBe(
      'https://discord.com/channels/1300000000000000100/1300000000000000999/42',
    );
  });

  it('derives a stable nonce of at most 25 characters per delivery key and part', () => {
    const key = 'r0123456789abcdef-event-phase-deep_dive';
    expect(deliveryNonce(key, 0)).toBe(deliveryNonce(key, 0));
    expect(deliveryNonce(key, 0)).not.toBe(deliveryNonce(key, 1));
    expect(deliveryNonce(key, 0)).toHaveLength(25);
  });
});

describe('Discord embed limits', () => {
  it('truncates by code points, never splitting an emoji, and fits whole lines', () => {
    expect(truncate('😀😀😀😀', 3)).toBe('😀😀…');
    expect(charCount(truncate('x'.repeat(5000), 4096))).toBe(4096);
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i} ${'y'.repeat(40)}`);
    const fitted = fitLines(lines, 1024);
    expect(charCount(fitted)).toBeLessThanOrEqual(1024);
    expect(fitted).toMatch(/\n… and \d+ more$/);
    expect(
      fitted
        .split('\n')
        .slice(0, -1)
        .every((l) => lines.includes(l)),
    ).toBe(true);
    const chunks = splitContent(lines.join('\n'), 200);
    expect(chunks.every((c) => charCount(c) <= 200)).toBe(true);
    expect(chunks.join('\n')).toBe(lines.join('\n'));
  });

  it('splits an oversized scorecard into messages Discord accepts, keeping every jump link whole', () => {
    const messages = renderMessage({ kind: 'scorecard', scorecard: hugeScorecard() }, PLACE);
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(() =>
        validateMessageBody(message as Record<string, unknown>, [], false),
      ).not.toThrow();
      const embeds = message.embeds ?? [];
      expect(embeds.length).toBeLessThanOrEqual(EMBED_LIMITS.perMessage);
      expect(embeds.reduce((sum, e) => sum + embedLength(e), 0)).toBeLessThanOrEqual(6000);
      expect(message.components).toBeUndefined();
    }
    const embeds = messages.flatMap((m) => m.embeds ?? []);
    expect(embeds[0]?.title).toBe('Scorecard — 61/100 · Hire with reservations');
    const values = embeds.flatMap((e) => (e.fields ?? []).map((f) => f.value)).join('\n');
    const opened = values.match(/\]\(https:\/\/discord\.com/g)?.length ?? 0;
    const whole =
      values.match(/\]\(https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+\)/g)?.length ?? 0;
    expect(opened).toBeGreaterThan(30);
    expect(whole).toBe(opened);
    // Every criterion is there, over several embeds (at most 25 fields each).
    const criteria = embeds.flatMap((e) => e.fields ?? []).filter((f) => /\d\/4 · /.test(f.name));
    expect(criteria).toHaveLength(30);
    expect(embeds.at(-1)?.footer?.text).toMatch(/^Scored by llm \(gpt-4o-mini\)/);
  });

  it('renders the prompt card with the phase plan, a mention of the candidate and both buttons', async () => {
    const library = await loadLibrary();
    const prompt = [...library.prompts.values()][0];
    if (!prompt) throw new Error('no prompt');
    const [card, ...rest] = renderMessage(
      {
        kind: 'prompt',
        prompt,
        mode: 'live',
        minutes: 45,
        candidates: ['1300000000000000300'],
        phases: plannedPhases(library.rubric, 45),
        controls: ['next', 'end'],
      },
      PLACE,
    );
    expect(rest).toEqual([]);
    expect(card?.content).toMatch(/^<@1300000000000000300> /);
    expect(card?.allowed_mentions).toEqual({ users: ['1300000000000000300'] });
    expect(card?.embeds?.[0]?.fields?.[0]?.value.split('\n')).toEqual([
      expect.stringMatching(/^`00:00–15:00` \*\*Framing\*\* — /),
      expect.stringMatching(/^`15:00–35:00` \*\*Solution sketch\*\* — /),
      expect.stringMatching(/^`35:00–45:00` \*\*Research-impact deep dive\*\* — /),
    ]);
    expect(() => validateMessageBody(card as Record<string, unknown>, [], false)).not.toThrow();
  });
});

describe('/mockdesign options as core commands', () => {
  const origin: Origin = { platform: 'discord', user: 'U', channel: 'discord:1:2' };
  const options = (sub: string, values: Record<string, string | number | boolean> = {}) =>
    ({
      getSubcommand: () => sub,
      getString: (name: string) => (typeof values[name] === 'string' ? values[name] : null),
      getInteger: (name: string) => (typeof values[name] === 'number' ? values[name] : null),
      getBoolean: (name: string) => (typeof values[name] === 'boolean' ? values[name] : null),
    }) as SlashOptions;

  it('builds start, forget and the simple commands', () => {
    expect(commandFromSlash(options('start', { prompt: ' RAG-x ', minutes: 30 }), origin)).toEqual({
      kind: 'start',
      origin,
      promptId: 'rag-x',
      minutes: 30,
      mode: 'live',
    });
    expect(commandFromSlash(options('start', { mode: 'async', hours: 48 }), origin)).toMatchObject({
      mode: 'async',
      minutes: 48 * 60,
      promptId: undefined,
    });
    expect(commandFromSlash(options('start', { mode: 'async' }), origin)).toMatchObject({
      minutes: 72 * 60,
    });
    expect(commandFromSlash(options('forget', { confirm: true }), origin)).toEqual({
      kind: 'forget',
      origin,
      confirmed: true,
    });
    expect(commandFromSlash(options('forget'), origin)).toMatchObject({ confirmed: false });
    expect(commandFromSlash(options('status'), origin)).toEqual({ kind: 'status', origin });
  });

  it('refuses out-of-range and contradictory options with a UserError', () => {
    const bad: Array<Record<string, string | number>> = [
      { minutes: 4 },
      { minutes: 241 },
      { mode: 'async', hours: 0 },
      { mode: 'fast' },
    ];
    for (const values of bad) {
      expect(() => commandFromSlash(options('start', values), origin)).toThrow(UserError);
    }
    expect(() => commandFromSlash(options('dance'), origin)).toThrow(/Unknown subcommand/);
  });
});
