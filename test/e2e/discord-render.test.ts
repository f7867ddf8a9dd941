import type { APIEmbed } from 'discord.js';
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
import { COLOURS, type DiscordMessage, renderCard } from '../../adapters/discord/render.js';
import { loadLibrary } from '../../rubric/load.js';
import type { Card } from '../../src/presentation/card.js';
import { roundControls } from '../../src/presentation/controls.js';
import { formatClock } from '../../src/presentation/format.js';
import { present } from '../../src/presentation/present.js';
import { scorecardCard } from '../../src/presentation/scorecard-card.js';
import { plannedPhases } from '../../src/round/timeline.js';
import type { Scorecard } from '../../src/scoring/scorecard.js';
import { validateMessageBody } from '../fakes/discord/validation.js';
import { asyncScorecard } from '../fixtures/async-scorecard.js';

const PLACE = { guildId: '1300000000000000100', channelId: '1300000000000000999' };
const CANDIDATE = '1300000000000000300';
const HOSTILE = 'I expect <@&1> @everyone **bold** 😀';

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

/** A card with every kind of block and run. */
function everyKindCard(): Card {
  return {
    kind: 'scorecard',
    tone: 'good',
    summary: 'Every kind of block',
    title: 'A title',
    banner: ['Interviewer · ', { strong: 'Framing' }, ' · 12:00 left'],
    threadName: 'Mock round: A title',
    notify: { users: [CANDIDATE], line: [' your round is ready.'] },
    blocks: [
      {
        type: 'text',
        lines: [
          ['Say ', { code: 'next' }, ' or `end`, ', { strong: 'now' }, '.'],
          ['Started ', { date: Date.UTC(2026, 11, 3, 14, 5) }, ' by ', { mention: CANDIDATE }],
        ],
      },
      { type: 'quote', lines: [['Some context'], ['More context']] },
      { type: 'list', ordered: false, items: [['one'], ['two']] },
      { type: 'list', ordered: true, items: [['first'], ['second']] },
      { type: 'note', lines: [['Small print']] },
      {
        type: 'section',
        title: ['███░ 3/4 · ', { strong: 'Hypothesis' }],
        lines: [
          ['Because.'],
          [{ quote: 'linked words', at: '01:05', messageId: '1400000000000000001' }],
          [{ quote: 'unlinked words', at: '02:05' }],
          ['Instead of: ', { quote: 'no time at all' }],
        ],
      },
      { type: 'divider' },
      { type: 'text', lines: [['After the divider']] },
    ],
    footer: ['Scored by ', { strong: 'heuristic' }],
    controls: roundControls([CANDIDATE]),
  };
}

/** Every message is one Discord accepts, within every limit. */
function expectAccepted(messages: readonly DiscordMessage[]): void {
  expect(messages.length).toBeGreaterThan(0);
  for (const message of messages) {
    expect(() => validateMessageBody(message as Record<string, unknown>, [], false)).not.toThrow();
    const embeds = message.embeds ?? [];
    expect(embeds.length).toBeLessThanOrEqual(EMBED_LIMITS.perMessage);
    expect(embeds.reduce((sum, e) => sum + embedLength(e), 0)).toBeLessThanOrEqual(
      EMBED_LIMITS.total,
    );
    expect(charCount(message.content)).toBeLessThanOrEqual(EMBED_LIMITS.content);
  }
}

/** Every piece of text of a message, for searching. */
function textOf(message: DiscordMessage): string {
  const embed = (e: APIEmbed) => [
    e.title,
    e.author?.name,
    e.description,
    ...(e.fields ?? []).flatMap((f) => [f.name, f.value]),
    e.footer?.text,
  ];
  return [message.content, ...(message.embeds ?? []).flatMap(embed)].filter(Boolean).join('\n');
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
    const messages = renderCard(scorecardCard(hugeScorecard()), PLACE);
    expect(messages.length).toBeGreaterThan(1);
    expectAccepted(messages);
    for (const message of messages) expect(message.components).toBeUndefined();
    const embeds = messages.flatMap((m) => m.embeds ?? []);
    expect(embeds[0]?.title).toBe('Scorecard — 61/100 · Hire with reservations');
    expect(embeds.every((e) => e.color === COLOURS.fair)).toBe(true);
    const values = embeds.flatMap((e) => (e.fields ?? []).map((f) => f.value)).join('\n');
    const opened = values.match(/\]\(https:\/\/discord\.com/g)?.length ?? 0;
    const whole =
      values.match(/\]\(https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+\)/g)?.length ?? 0;
    expect(opened).toBeGreaterThan(30);
    expect(whole).toBe(opened);
    // Every criterion is there, over several embeds (at most 25 fields each).
    const criteria = embeds.flatMap((e) => e.fields ?? []).filter((f) => /\d\/4 · /.test(f.name));
    expect(criteria).toHaveLength(30);
    expect(embeds.at(-1)?.footer?.text).toMatch(/^Scored by the LLM judge \(gpt-4o-mini\)/);
  });

  it('keeps an enormous hand-made card within every limit, saying what it left out', () => {
    const long = (n: number) => `${'word '.repeat(n)}😀`;
    const card: Card = {
      kind: 'help',
      tone: 'neutral',
      summary: 'x',
      title: long(100),
      banner: [long(100)],
      notify: {
        users: Array.from({ length: 150 }, (_, i) => `1${String(i).padStart(18, '0')}`),
        line: [long(1000)],
      },
      blocks: [
        { type: 'text', lines: Array.from({ length: 500 }, (_, i) => [`line ${i} `, long(20)]) },
        { type: 'quote', lines: [[long(3000)]] },
        ...Array.from({ length: 60 }, (_, i) => ({
          type: 'section' as const,
          title: [long(100)],
          lines: Array.from({ length: 40 }, (_, j) => [
            { quote: long(200), at: formatClock(j), messageId: `14${i}${j}` },
          ]),
        })),
        { type: 'list', ordered: true, items: Array.from({ length: 300 }, () => [long(30)]) },
      ],
      footer: [long(1000)],
      controls: roundControls([]),
    };
    const messages = renderCard(card, PLACE);
    expectAccepted(messages);
    const embeds = messages.flatMap((m) => m.embeds ?? []);
    expect(embeds.flatMap((e) => e.fields ?? [])).toHaveLength(60);
    expect(embeds[0]?.description).toMatch(/\n… and \d+ more$/);
    expect(messages[0]?.allowed_mentions?.users).toHaveLength(100);
    expect(messages.at(-1)?.components).toHaveLength(1);
    expect(messages.slice(0, -1).every((m) => m.components === undefined)).toBe(true);
    // Plain content too long for one message goes over several, cut at line breaks.
    const plain = renderCard(
      {
        kind: 'notice',
        tone: 'neutral',
        summary: 'x',
        blocks: card.blocks.slice(0, 1),
        controls: [],
      },
      PLACE,
    );
    expect(plain.length).toBeGreaterThan(1);
    expectAccepted(plain);
    expect(plain.every((m) => m.embeds === undefined)).toBe(true);
  });
});

describe('Discord rendering of a card', () => {
  it('renders title, banner, every block, footer, colour, notification and buttons', () => {
    const [message, ...rest] = renderCard(everyKindCard(), PLACE);
    expect(rest).toEqual([]);
    expectAccepted([message as DiscordMessage]);
    expect(message?.content).toBe(`<@${CANDIDATE}> your round is ready.`);
    expect(message?.allowed_mentions).toEqual({ users: [CANDIDATE] });

    const [first, second, ...others] = message?.embeds ?? [];
    expect(others).toEqual([]);
    expect(first?.title).toBe('A title');
    expect(first?.author?.name).toBe('Interviewer · Framing · 12:00 left');
    expect(first?.color).toBe(COLOURS.good);
    const seconds = Date.UTC(2026, 11, 3, 14, 5) / 1000;
    expect(first?.description?.split('\n')).toEqual([
      'Say `next` or `end`, **now**.',
      `Started <t:${seconds}:f> (<t:${seconds}:R>) by <@${CANDIDATE}>`,
      '',
      '> Some context',
      '> More context',
      '',
      '- one',
      '- two',
      '',
      '1. first',
      '2. second',
      '',
      '-# Small print',
    ]);
    expect(first?.fields).toEqual([
      {
        name: '███░ 3/4 · Hypothesis',
        value: [
          'Because.',
          `[01:05](${messageLink(PLACE, '1400000000000000001')}) “linked words”`,
          '`02:05` “unlinked words”',
          'Instead of: “no time at all”',
        ].join('\n'),
      },
    ]);
    // A divider starts a new embed; the footer closes the last one.
    expect(first?.footer).toBeUndefined();
    expect(second).toEqual({
      color: COLOURS.good,
      description: 'After the divider',
      footer: { text: 'Scored by heuristic' },
    });

    const row = message?.components?.[0] as unknown as {
      components: Array<Record<string, unknown>>;
    };
    expect(row.components).toEqual([
      { type: 2, custom_id: 'mockdesign:next', label: 'Next phase', style: 1 },
      { type: 2, custom_id: 'mockdesign:end', label: 'End round', style: 4 },
    ]);
  });

  it('shows a card of a few lines as plain content that pings no one', () => {
    const messages = renderCard(
      {
        kind: 'refusal',
        tone: 'warning',
        summary: 'Only the candidate can end this round.',
        blocks: [
          { type: 'text', lines: [['Only the candidate can end this round.']] },
          { type: 'note', lines: [['Ask ', { mention: CANDIDATE }, '.']] },
        ],
        controls: [],
      },
      PLACE,
    );
    expect(messages).toEqual([
      {
        content: `Only the candidate can end this round.\n\n-# Ask <@${CANDIDATE}>.`,
        allowed_mentions: { parse: [] },
      },
    ]);
  });

  it('keeps hostile text escaped, in quotes and in product text alike, and pings no one', () => {
    const card: Card = {
      kind: 'scorecard',
      tone: 'poor',
      summary: HOSTILE,
      title: 'Scorecard',
      blocks: [
        { type: 'text', lines: [[`Unknown prompt "${HOSTILE}".`]] },
        {
          type: 'section',
          title: ['Evidence'],
          lines: [
            [
              {
                quote: `${HOSTILE} [x](https://evil.example) \`code\``,
                at: '00:03',
                messageId: 'not-a-snowflake',
              },
            ],
          ],
        },
        { type: 'list', ordered: false, items: [[{ quote: '# heading\n- item', at: '00:04' }]] },
      ],
      controls: [],
    };
    const messages = [
      ...renderCard(card, PLACE),
      ...renderCard({ ...card, title: undefined, blocks: card.blocks.slice(0, 1) }, PLACE),
    ];
    expectAccepted(messages);
    for (const message of messages) expect(message.allowed_mentions).toEqual({ parse: [] });
    const [embed, after] = messages[0]?.embeds ?? [];
    expect(embed?.description).toBe(
      'Unknown prompt "I expect \\<@&1> @everyone \\*\\*bold\\*\\* 😀".',
    );
    // Text after a section goes into the next embed; line breaks in a quote do not start lines.
    expect(after?.description).toBe('- `00:04` “\\# heading - item”');
    expect(embed?.fields?.[0]?.value).toBe(
      '`00:03` “I expect \\<@&1> @everyone \\*\\*bold\\*\\* 😀 \\[x](https://evil.example) \\`code\\`”',
    );
    expect(messages[1]?.content).toBe(
      'Unknown prompt "I expect \\<@&1> @everyone \\*\\*bold\\*\\* 😀".',
    );
    // Nothing but the escapes was added or lost.
    expect(textOf(messages[1] as DiscordMessage).replaceAll('\\', '')).toBe(
      `Unknown prompt "${HOSTILE}".`,
    );
  });

  it('renders the core’s prompt card with the phase plan, one mention of the candidate and both buttons', async () => {
    const library = await loadLibrary();
    const prompt = [...library.prompts.values()][0];
    if (!prompt) throw new Error('no prompt');
    const card = present({
      kind: 'prompt',
      prompt,
      mode: 'live',
      minutes: 45,
      candidates: [CANDIDATE],
      phases: plannedPhases(library.rubric, 45),
      surface: 'chat',
    });
    const messages = renderCard(card, PLACE);
    expectAccepted(messages);
    const [message] = messages;
    expect(message?.content?.match(/<@\d+>/g)).toEqual([`<@${CANDIDATE}>`]);
    expect(message?.allowed_mentions).toEqual({ users: [CANDIDATE] });
    const embeds = messages.flatMap((m) => m.embeds ?? []);
    expect(embeds[0]?.title).toBe(prompt.title);
    expect(embeds[0]?.color).toBe(COLOURS.brand);
    const plan = embeds.flatMap((e) => e.fields ?? [])[0];
    expect(plan?.value.split('\n')).toHaveLength(3);
    expect(plan?.value).toContain('**Framing**');
    const row = messages.at(-1)?.components?.[0] as unknown as {
      components: Array<Record<string, unknown>>;
    };
    // Next phase carries the phase the card is posted in: the round opens in the first.
    expect(row.components.map((b) => b.custom_id)).toEqual([
      'mockdesign:next:framing',
      'mockdesign:end',
    ]);
  });

  it("gives an async round's phase plan as dates in each reader's time zone and durations, no clock", async () => {
    const library = await loadLibrary();
    const prompt = [...library.prompts.values()][0];
    if (!prompt) throw new Error('no prompt');
    const start = Date.UTC(2026, 11, 3, 14, 5);
    const card = present({
      kind: 'prompt',
      prompt,
      mode: 'async',
      minutes: 72 * 60,
      candidates: [CANDIDATE],
      phases: plannedPhases(library.rubric, 72 * 60).map((p) => ({
        ...p,
        endsAt: start + (p.startMinute + p.minutes) * 60_000,
      })),
      surface: 'chat',
    });
    const messages = renderCard(card, PLACE);
    expectAccepted(messages);
    const plan = messages.flatMap((m) => m.embeds ?? []).flatMap((e) => e.fields ?? [])[0];
    const lines = plan?.value.split('\n') ?? [];
    expect(lines).toHaveLength(3);
    const seconds = start / 1000 + 24 * 3600;
    expect(lines[0]).toMatch(
      new RegExp(
        `^Until <t:${seconds}:f> \\(<t:${seconds}:R>\\) · \\*\\*Framing\\*\\* \\(1 d\\) — `,
      ),
    );
    expect(lines[1]).toMatch(/\*\*Solution sketch\*\* \(1 d 8 h\) — /);
    expect(plan?.value).not.toMatch(/\d+:\d\d:\d\d/);
  });

  it("stamps an async round's scorecard quotes with durations, like the rest of its card", () => {
    const evidence = '1400000000000000001';
    const scorecard = asyncScorecard({ evidence });
    const messages = renderCard(present({ kind: 'scorecard', scorecard }), PLACE);
    expectAccepted(messages);
    const text = messages.map(textOf).join('\n');
    expect(text).toContain(
      `[19 h 12 min](${messageLink(PLACE, evidence)}) “A two-stage retriever cuts hallucination`,
    );
    expect(text).toContain('`2 d 5 h` “We just use Kafka.”');
    expect(text).not.toMatch(/\d+:\d\d/);
  });

  it('truncates a long quote and never links a message outside the place it is posted', () => {
    const quote = 'x'.repeat(1000);
    const [message] = renderCard(
      {
        kind: 'history',
        tone: 'neutral',
        summary: 's',
        blocks: [
          { type: 'text', lines: [[{ quote, at: '00:07', messageId: '1400000000000000002' }]] },
        ],
        controls: [],
      },
      undefined,
    );
    expect(message?.content).toBe(`\`00:07\` “${'x'.repeat(239)}…”`);
  });
});
