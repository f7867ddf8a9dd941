/** Block Kit rendering: what the core says, escaped, within Slack's limits however long it is. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { clipMrkdwn, fitLines, plainFromSlack } from '../../adapters/slack/mrkdwn.js';
import { renderMessage } from '../../adapters/slack/render.js';
import { loadLibrary } from '../../rubric/load.js';
import { plannedPhases } from '../../src/round/timeline.js';
import { HeuristicScorer } from '../../src/scoring/heuristic/heuristic-scorer.js';
import type { Scorecard } from '../../src/scoring/scorecard.js';
import { TranscriptSchema } from '../../src/transcript.js';

type Block = { type: string; text?: { text: string }; elements?: { text?: unknown }[] };

/** Asserts Slack's limits on every block and returns all the texts. */
function checkLimits(blocks: unknown[]): string[] {
  expect(blocks.length).toBeLessThanOrEqual(50);
  const texts: string[] = [];
  for (const block of blocks as Block[]) {
    if (block.type === 'header') expect(block.text?.text.length).toBeLessThanOrEqual(150);
    if (block.type === 'section') expect(block.text?.text.length).toBeLessThanOrEqual(3000);
    if (block.type === 'context') expect(block.elements?.length).toBeLessThanOrEqual(10);
    if (block.text) texts.push(block.text.text);
    for (const e of block.elements ?? []) if (typeof e.text === 'string') texts.push(e.text);
  }
  return texts;
}

/** `<` in rendered mrkdwn only ever opens one of our links. */
function onlyOurLinks(text: string): void {
  for (const match of text.matchAll(/<([^>]*)>?/g)) {
    expect(match[0]).toMatch(/^<https:\/\/fake\.slack\/[^|<>]+\|[^<>]*>$/);
  }
}

const hostile = 'I expect <!channel> & <@U0BOSS> to cut p99 > 30% 😀';

describe('Block Kit rendering', () => {
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
    const card = await new HeuristicScorer(library.rubric).score(transcript);
    const links = new Map(
      transcript.messages.map((m) => [
        m.id as string,
        `https://fake.slack/archives/C1/p${m.id?.replace('.', '')}`,
      ]),
    );

    const { text, blocks } = renderMessage({ kind: 'scorecard', scorecard: card }, links);
    const texts = checkLimits(blocks);
    const all = texts.join('\n');
    expect(text).toBe(`Scorecard: ${card.overall}/100 · ${card.band} — ${card.prompt}`);
    expect(all).toContain(`Scorecard — ${card.overall}/100 · ${card.band}`);
    for (const c of card.criteria) expect(all).toContain(`*${c.name}* · ${c.weight}%`);
    expect(all).toMatch(/<https:\/\/fake\.slack\/archives\/C1\/p\d+\|\[\d\d:\d\d\]> “/);
    expect(all).toContain('Phase discipline');
    expect(all).toContain('Signal–Impact–Evidence');
    expect(all).toContain(`Scored by ${card.engine.name}`);
    for (const t of texts) onlyOurLinks(t);
  });

  it('keeps an enormous, hostile scorecard inside Slack’s limits and escaped', () => {
    const evidence = Array.from({ length: 40 }, (_, i) => ({
      quote: `${hostile} ${'word '.repeat(200)}`,
      at: i * 30,
      messageId: `1700000000.${String(i).padStart(6, '0')}`,
    }));
    const card: Scorecard = {
      prompt: `Design <b>it</b> ${'x'.repeat(5000)}`,
      minutes: 45,
      overall: 42,
      band: 'Borderline'.repeat(20),
      criteria: Array.from({ length: 70 }, (_, i) => ({
        id: `c${i}`,
        name: `Criterion ${i} <!here>`,
        weight: 1,
        level: i % 5,
        rationale: hostile.repeat(30),
        evidence,
      })),
      flags: evidence.map((e) => ({
        id: 'f',
        name: 'Flag & <x>',
        quote: e.quote,
        at: e.at,
        messageId: e.messageId,
      })),
      phaseDiscipline: {
        hypothesisAt: null,
        hypothesisInFraming: false,
        phases: [{ id: 'p', name: 'P', seconds: 60, words: 5 }],
      },
      triad: {
        choices: evidence.map((e) => ({ choice: 'sharding', linked: false, quote: e.quote })),
        linked: 0,
        total: 40,
      },
      improvements: Array.from({ length: 30 }, () => ({
        text: hostile,
        before: hostile,
        after: hostile,
      })),
      engine: { name: 'llm', model: 'm', reason: 'x'.repeat(4000) },
      warnings: Array.from({ length: 20 }, () => hostile),
    };
    const links = new Map(
      evidence.map((e) => [
        e.messageId,
        `https://fake.slack/archives/C1/p${e.messageId.replace('.', '')}`,
      ]),
    );

    const { text, blocks } = renderMessage({ kind: 'scorecard', scorecard: card }, links);
    const texts = checkLimits(blocks);
    expect(blocks).toHaveLength(50);
    expect(JSON.stringify(blocks.at(-1))).toContain('more sections not shown');
    expect(text.length).toBeLessThanOrEqual(3000);
    for (const t of texts) {
      expect(t).not.toContain('<!channel>');
      expect(t).not.toContain('<@U0BOSS>');
      onlyOurLinks(t);
    }
    expect(texts.join('\n')).toContain('&lt;!channel&gt; &amp; &lt;@U0BOSS&gt;');
  });

  it('renders the prompt card (title, prompt, context, phase plan with times, buttons) and an interviewer banner', async () => {
    const library = await loadLibrary();
    const prompt = library.prompts.get('rag-hallucination-measurement');
    if (!prompt) throw new Error('prompt missing');
    const card = renderMessage({
      kind: 'prompt',
      prompt,
      mode: 'live',
      minutes: 45,
      candidates: ['U0CANDIDATE'],
      phases: plannedPhases(library.rubric, 45),
      controls: ['next', 'end'],
    });
    const texts = checkLimits(card.blocks).join('\n');
    expect(card.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: prompt.title },
    });
    expect(texts).toContain(prompt.prompt);
    expect(texts).toContain('>The product answers questions over 30M internal documents');
    expect(texts).toMatch(
      /`00:00` \*Framing\* · 15 min[\s\S]*`15:00` \*Solution sketch\* · 20 min[\s\S]*`35:00`/,
    );
    expect(texts).toContain('<@U0CANDIDATE>');
    const actions = card.blocks.find((b) => b.type === 'actions');
    expect(JSON.stringify(actions)).toMatch(
      /"action_id":"mockdesign_next"[\s\S]*"action_id":"mockdesign_end"/,
    );

    const banner = renderMessage({
      kind: 'interviewer',
      event: 'pivot',
      text: 'Now <b>pivot</b>',
      phaseName: 'Solution sketch',
      minute: 25,
      remainingMinutes: 20,
      controls: ['end'],
    });
    expect(banner.text).toBe('Interviewer: Now <b>pivot</b>');
    expect(checkLimits(banner.blocks)).toEqual([
      '*Solution sketch* · 25:00 in · 20:00 left',
      'Now &lt;b&gt;pivot&lt;/b&gt;',
    ]);
  });

  it('clips mrkdwn without splitting a link, an entity or an emoji, and notes lines left out', () => {
    const linked = `${'a'.repeat(10)}<https://fake.slack/x|[00:01]> tail`;
    expect(clipMrkdwn(linked, 20)).toBe(`${'a'.repeat(10)}…`);
    expect(clipMrkdwn('abc &amp; def', 7)).toBe('abc …');
    expect(clipMrkdwn('ab😀cd', 4)).toBe('ab…');
    expect(fitLines(['one', 'two', 'x'.repeat(50)], 40)).toBe('one\ntwo\n_…1 more not shown_');
    expect(plainFromSlack('&lt;b&gt; <!here> <#C1|general> <mailto:a@b.c|mail> &amp;amp;')).toBe(
      '<b> @here #general mail &amp;',
    );
  });
});
