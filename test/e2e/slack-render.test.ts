/** Block Kit rendering of cards: markup only, everything escaped, within Slack's limits however long. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { chunkLines, clipMrkdwn, fitLines, plainFromSlack } from '../../adapters/slack/mrkdwn.js';
import { quotedMessageIds, renderCard } from '../../adapters/slack/render.js';
import { createScorer } from '../../app/scorer.js';
import { loadLibrary } from '../../rubric/load.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { Card, Line } from '../../src/presentation/card.js';
import { roundControls } from '../../src/presentation/controls.js';
import { andMore, formatClock } from '../../src/presentation/format.js';
import { present } from '../../src/presentation/present.js';
import { scorecardCard } from '../../src/presentation/scorecard-card.js';
import { plannedPhases } from '../../src/round/timeline.js';
import { TranscriptSchema } from '../../src/transcript.js';
import { blockKitProblem } from '../fakes/slack/index.js';
import { asyncScorecard } from '../fixtures/async-scorecard.js';

type AnyBlock = {
  type: string;
  text?: { text: string };
  elements?: { text?: unknown }[];
};

/** Asserts that Slack would take the blocks and returns every mrkdwn/plain text in them. */
function checked(blocks: readonly unknown[]): string[] {
  expect(blockKitProblem(blocks)).toBeUndefined();
  const texts: string[] = [];
  for (const block of blocks as AnyBlock[]) {
    if (block.text) texts.push(block.text.text);
    for (const e of block.elements ?? []) if (typeof e.text === 'string') texts.push(e.text);
  }
  return texts;
}

const PERMALINK = /^<https:\/\/fake\.slack\/[^|<>]+\|[^<>]*>$/;
const DATE = /^<!date\^\d+\^\{date_short_pretty\} \{time\}\|[\d :-]+ UTC>$/;

/** `<` in rendered mrkdwn only ever opens one of our permalinks, a date, or `allowed` mentions. */
function onlyOurMarkup(text: string, mentions: readonly string[] = []): void {
  for (const match of text.matchAll(/<([^>]*)>?/g)) {
    const [tag] = match;
    if (mentions.some((user) => tag === `<@${user}>`)) continue;
    expect(tag).toMatch(new RegExp(`${PERMALINK.source}|${DATE.source}`));
  }
}

const link = (ts: string) => `https://fake.slack/archives/C1/p${ts.replace('.', '')}`;
const hostile = 'I expect <!channel> & <@U0BOSS> to cut p99 > 30% 😀';
const escapedHostile = 'I expect &lt;!channel&gt; &amp; &lt;@U0BOSS&gt; to cut p99 &gt; 30% 😀';
// 2026-12-03 14:05 UTC
const DEC_3 = Date.UTC(2026, 11, 3, 14, 5);

describe('Block Kit rendering of a card', () => {
  it('renders every part of a card and every kind of run, adding markup and no words', () => {
    const card: Card = {
      kind: 'prompt',
      tone: 'brand',
      summary: 'Mock design round: Feature store — design it',
      title: 'Feature store',
      banner: ['Interviewer · ', { strong: 'Framing' }, ' · until ', { date: DEC_3 }],
      notify: {
        users: ['U0CANDIDATE', 'U0PAIR'],
        line: [{ mention: 'U0CANDIDATE' }, ' your round is ready.'],
      },
      blocks: [
        { type: 'text', lines: [['Say `next` or ', { code: 'end' }, ', ', { strong: 'now ' }]] },
        { type: 'quote', lines: [['The product serves'], ['30M users']] },
        { type: 'list', ordered: false, items: [['one'], ['two']] },
        { type: 'list', ordered: true, items: [['first'], ['second']] },
        {
          type: 'section',
          title: ['███░ 3/4 · ', { strong: 'Hypothesis' }, ' · 20%'],
          lines: [
            ['Stated early.'],
            [{ quote: 'I expect\n  a 15% cut', at: '01:35', messageId: '1700000000.000100' }],
            [{ quote: 'no link', at: '1:02:05', messageId: '1700000000.000999' }],
            ['Instead of: ', { quote: 'a rewrite' }],
          ],
        },
        {
          type: 'note',
          lines: [['Only the candidate can end it.'], [{ mention: 'not-a-slack-id' }]],
        },
        { type: 'divider' },
      ],
      footer: ['Scored by ', { strong: 'heuristic' }],
      controls: roundControls(['U0CANDIDATE']),
    };

    const { text, blocks } = renderCard(
      card,
      new Map([['1700000000.000100', link('1700000000.000100')]]),
    );
    checked(blocks);
    expect(text).toBe('Mock design round: Feature store — design it');
    expect(blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Feature store' } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Interviewer · *Framing* · until <!date^${DEC_3 / 1000}^{date_short_pretty} {time}|2026-12-03 14:05 UTC>`,
          },
        ],
      },
      // The line names the candidate; the pair, also to be notified, is mentioned in front.
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '<@U0PAIR> <@U0CANDIDATE> your round is ready.' },
      },
      { type: 'section', text: { type: 'mrkdwn', text: 'Say `next` or `end`, *now* ' } },
      { type: 'section', text: { type: 'mrkdwn', text: '>The product serves\n>30M users' } },
      { type: 'section', text: { type: 'mrkdwn', text: '• one\n• two' } },
      { type: 'section', text: { type: 'mrkdwn', text: '1. first\n2. second' } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: [
            '*███░ 3/4 · Hypothesis · 20%*',
            'Stated early.',
            `<${link('1700000000.000100')}|[01:35]> “I expect a 15% cut”`,
            '[1:02:05] “no link”',
            'Instead of: “a rewrite”',
          ].join('\n'),
        },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'Only the candidate can end it.\nnot-a-slack-id' }],
      },
      { type: 'divider' },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Scored by *heuristic*' }] },
      {
        type: 'actions',
        block_id: 'mockdesign_controls',
        elements: [
          {
            type: 'button',
            action_id: 'mockdesign_next',
            text: { type: 'plain_text', text: 'Next phase', emoji: true },
            style: 'primary',
          },
          {
            type: 'button',
            action_id: 'mockdesign_end',
            text: { type: 'plain_text', text: 'End round', emoji: true },
            style: 'danger',
            confirm: {
              title: { type: 'plain_text', text: 'End the round now?', emoji: true },
              text: {
                type: 'plain_text',
                text: 'The round stops here and your scorecard is posted.',
                emoji: true,
              },
              confirm: { type: 'plain_text', text: 'End round', emoji: true },
              deny: { type: 'plain_text', text: 'Keep going', emoji: true },
            },
          },
        ],
      },
    ]);
    expect(quotedMessageIds(card)).toEqual(['1700000000.000100', '1700000000.000999']);
  });

  it('escapes hostile text in every kind of run: nobody is pinged, no link is forged', () => {
    const line: Line = [
      hostile,
      { strong: hostile },
      { code: hostile },
      { mention: '<!here>' },
      { quote: hostile, at: '00:01', messageId: '1700000000.000001' },
    ];
    const card: Card = {
      kind: 'notice',
      tone: 'neutral',
      summary: hostile,
      title: hostile,
      banner: line,
      notify: { users: ['<!everyone>'], line },
      blocks: [
        { type: 'text', lines: [line] },
        { type: 'quote', lines: [line] },
        { type: 'list', ordered: true, items: [line] },
        { type: 'section', title: line, lines: [line] },
        { type: 'note', lines: [line] },
      ],
      footer: line,
      controls: [{ id: 'end', label: hostile, style: 'default', onlyFor: [] }],
    };
    const { text, blocks } = renderCard(
      card,
      new Map([['1700000000.000001', link('1700000000.000001')]]),
    );
    expect(text).toBe(escapedHostile);
    const texts = checked(blocks);
    for (const t of texts.slice(1)) {
      expect(t).not.toContain('<!channel>');
      expect(t).not.toContain('<@U0BOSS>');
      expect(t).not.toContain('<!here>');
      expect(t).not.toContain('<!everyone>');
      expect(t).toContain(escapedHostile);
      onlyOurMarkup(t);
    }
    // Header and button are plain text, which Slack never reads as markup.
    expect(texts[0]).toBe(hostile);
    expect(blocks.at(-1)).toMatchObject({ elements: [{ text: { text: hostile } }] });
  });

  it('keeps an enormous card inside Slack’s limits, with the core’s “and N more” and the buttons kept', () => {
    const quote = (i: number) => ({
      quote: `${hostile} ${'word '.repeat(200)}`,
      at: formatClock(i * 30),
      messageId: `1700000000.${String(i).padStart(6, '0')}`,
    });
    const card: Card = {
      kind: 'scorecard',
      tone: 'poor',
      summary: `Scorecard ${'x'.repeat(5000)}`,
      title: `Design <b>it</b> ${'x'.repeat(500)}`,
      banner: ['y'.repeat(4000)],
      blocks: [
        { type: 'text', lines: Array.from({ length: 100 }, () => [hostile.repeat(5)]) },
        { type: 'text', lines: [['z'.repeat(4000)]] },
        ...Array.from({ length: 70 }, (_, i) => ({
          type: 'section' as const,
          title: [{ strong: `Criterion ${i} <!here>` }],
          lines: Array.from({ length: 40 }, (_, j) => [quote(j)]),
        })),
        { type: 'note', lines: Array.from({ length: 400 }, () => [hostile]) },
      ],
      footer: ['Scored by ', 'x'.repeat(4000)],
      controls: roundControls(['U0CANDIDATE']).map((c) => ({ ...c, label: c.label.repeat(20) })),
    };
    const links = new Map(
      Array.from({ length: 40 }, (_, j) => quote(j).messageId).map((id) => [id, link(id)]),
    );

    const { text, blocks } = renderCard(card, links);
    const texts = checked(blocks);
    expect(blocks).toHaveLength(50);
    expect(text.length).toBeLessThanOrEqual(3000);
    // The first text block goes on over several sections; the rest of the body is cut short.
    expect(blocks.slice(2, 6).map((b) => b.type)).toEqual([
      'section',
      'section',
      'section',
      'section',
    ]);
    const cut = blocks.at(-3);
    expect(cut).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: expect.stringMatching(/^_… and \d+ more_$/) }],
    });
    expect(blocks.at(-2)?.type).toBe('context');
    expect(blocks.at(-1)?.type).toBe('actions');
    // A section too long for all its quotes ends with the core's note of the lines left out.
    expect(texts.find((t) => t.startsWith('*Criterion 0'))).toMatch(/\n_… and \d+ more_$/);
    // The header is plain text, clipped: Slack shows it as it is.
    expect(texts[0]).toMatch(/^Design <b>it<\/b> x+…$/);
    for (const t of texts.slice(1)) {
      expect(t).not.toContain('<!channel>');
      expect(t).not.toContain('<!here>');
      onlyOurMarkup(t);
    }
  });

  it('renders a real scorecard with level bars, linked evidence, flags, triad and improvements', async () => {
    const library = await loadLibrary();
    const raw = JSON.parse(
      await readFile('test/fixtures/transcripts/strong-rag-two-stage-retriever.json', 'utf8'),
    );
    const transcript = TranscriptSchema.parse(raw);
    transcript.messages = transcript.messages.map((m, i) => ({
      ...m,
      id: `1700000000.${String(i).padStart(6, '0')}`,
    }));
    const scorer = createScorer(loadConfig({}), library, createLogger({ quiet: true }));
    const scorecard = await scorer.score(transcript);
    const reference = library.prompts.get('rag-hallucination-measurement')?.reference;
    expect(scorecard.reference).toEqual(reference);
    const card = scorecardCard(scorecard);
    const ids = quotedMessageIds(card);
    expect(ids.length).toBeGreaterThan(0);

    const { text, blocks } = renderCard(card, new Map(ids.map((id) => [id, link(id)])));
    const all = checked(blocks).join('\n');
    expect(text).toBe(card.summary);
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: card.title } });
    for (const c of scorecard.criteria) expect(all).toContain(`${c.name} · ${c.weight}%`);
    expect(all).toMatch(/^\*[█░]{4} \d\/4 · /m);
    expect(all).toMatch(/<https:\/\/fake\.slack\/archives\/C1\/p\d+\|\[\d\d:\d\d\]> “/);
    expect(all).toContain('*Phase discipline*');
    expect(all).toContain('*Signal–Impact–Evidence*');
    expect(all).toContain('Scored by the rule-based scorer');
    // The card ends with what a strong answer to the prompt looked like.
    expect(card.blocks.at(-1)).toMatchObject({ title: ['What a strong answer looked like'] });
    expect(all).toContain('*What a strong answer looked like*');
    expect(all).toContain(`*Hypothesis:* ${reference?.hypothesis}`);
    for (const t of all.split('\n')) onlyOurMarkup(t);
  });

  it("stamps an async round's scorecard quotes with durations, like the rest of its card", () => {
    const evidence = '1700000000.000100';
    const scorecard = asyncScorecard({ evidence, flag: '1700000000.000200' });
    const card = present({ kind: 'scorecard', scorecard });
    const texts = checked(renderCard(card, new Map([[evidence, link(evidence)]])).blocks).join(
      '\n',
    );
    expect(texts).toContain(
      `<${link(evidence)}|[19 h 12 min]> “A two-stage retriever cuts hallucination by 15% on HaluEval.”`,
    );
    expect(texts).toContain('[2 d 5 h] “We just use Kafka.”');
    expect(texts).not.toMatch(/\d+:\d\d/);
    onlyOurMarkup(texts);
  });

  it('renders the prompt card: title, prompt, quoted context, phase plan, the candidate pinged, both buttons', async () => {
    const library = await loadLibrary();
    const prompt = library.prompts.get('rag-hallucination-measurement');
    if (!prompt) throw new Error('prompt missing');
    const card = present({
      kind: 'prompt',
      prompt,
      mode: 'live',
      minutes: 45,
      candidates: ['U0CANDIDATE'],
      phases: plannedPhases(library.rubric, 45),
      surface: 'chat',
    });
    const { blocks } = renderCard(card);
    const texts = checked(blocks).join('\n');
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: prompt.title } });
    expect(texts).toContain('>The product answers questions over 30M internal documents');
    expect(texts).toContain('<@U0CANDIDATE>');
    expect(texts).toMatch(/\*Framing\*[\s\S]*\*Solution sketch\*/);
    expect(JSON.stringify(blocks.at(-1))).toMatch(
      /"action_id":"mockdesign_next"[\s\S]*"action_id":"mockdesign_end"/,
    );
    onlyOurMarkup(texts, ['U0CANDIDATE']);
  });

  it("gives an async round's phase plan as dates in each reader's time zone and durations, no clock", async () => {
    const library = await loadLibrary();
    const prompt = library.prompts.get('rag-hallucination-measurement');
    if (!prompt) throw new Error('prompt missing');
    const card = present({
      kind: 'prompt',
      prompt,
      mode: 'async',
      minutes: 72 * 60,
      candidates: ['U0CANDIDATE'],
      phases: plannedPhases(library.rubric, 72 * 60).map((p) => ({
        ...p,
        endsAt: DEC_3 + (p.startMinute + p.minutes) * 60_000,
      })),
      surface: 'chat',
    });
    const texts = checked(renderCard(card).blocks).join('\n');
    const seconds = DEC_3 / 1000 + 24 * 3600;
    expect(texts).toContain(
      `Until <!date^${seconds}^{date_short_pretty} {time}|2026-12-04 14:05 UTC> · *Framing* (1 d) — `,
    );
    expect(texts).toMatch(/· \*Solution sketch\* \(1 d 8 h\) — /);
    expect(texts).not.toMatch(/\d+:\d\d:\d\d/);
    onlyOurMarkup(texts, ['U0CANDIDATE']);
  });
});

describe('mrkdwn helpers', () => {
  it('clips mrkdwn without splitting a link, an entity or an emoji, and notes lines left out', () => {
    const linked = `${'a'.repeat(10)}<https://fake.slack/x|[00:01]> tail`;
    expect(clipMrkdwn(linked, 20)).toBe(`${'a'.repeat(10)}…`);
    expect(clipMrkdwn('abc &amp; def', 7)).toBe('abc …');
    expect(clipMrkdwn('ab😀cd', 4)).toBe('ab…');
    expect(fitLines(['one', 'two', 'x'.repeat(50)], 40)).toBe(`one\ntwo\n_${andMore(1)}_`);
    expect(chunkLines(['one', 'two', 'x'.repeat(50), 'three'], 20)).toEqual([
      'one\ntwo',
      `${'x'.repeat(19)}…`,
      'three',
    ]);
    expect(plainFromSlack('&lt;b&gt; <!here> <#C1|general> <mailto:a@b.c|mail> &amp;amp;')).toBe(
      '<b> @here #general mail &amp;',
    );
  });
});
