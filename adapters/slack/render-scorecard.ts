import type { types } from '@slack/bolt';
import { formatClock, levelBar } from '../../src/scoring/render-text.js';
import type { CriterionScore, Scorecard } from '../../src/scoring/scorecard.js';
import {
  context,
  divider,
  fallback,
  fitBlocks,
  header,
  type RenderedMessage,
  section,
} from './blocks.js';
import { clipPlain, escapeMrkdwn, link } from './mrkdwn.js';

/** Permalinks of candidate messages by message id (their Slack `ts`). */
export type Permalinks = ReadonlyMap<string, string>;

/** Longest quote shown, in characters, before it is clipped with `…`. */
const QUOTE_CHARS = 280;

/**
 * The scorecard as Block Kit: overall and band, a section per criterion (level bar, rationale,
 * evidence quotes linked to the candidate's messages), red flags, phase discipline, the
 * Signal–Impact–Evidence triad, improvements with before/after, and the engine.
 */
export function renderScorecard(card: Scorecard, links: Permalinks = new Map()): RenderedMessage {
  const stamp = (at: number, messageId?: string) => {
    const clock = `[${formatClock(at)}]`;
    const url = messageId === undefined ? undefined : links.get(messageId);
    return url ? link(url, clock) : clock;
  };
  const blocks: types.KnownBlock[] = [
    header(`Scorecard — ${card.overall}/100 · ${card.band}`),
    context([`*Prompt:* ${escapeMrkdwn(card.prompt)}`, `${card.minutes}-minute round`]),
    divider(),
    ...card.criteria.map((c) => criterionSection(c, stamp)),
    divider(),
    section(
      card.flags.length === 0
        ? ['*Red flags:* none']
        : [
            '*Red flags*',
            ...card.flags.map(
              (f) => `⚑ *${escapeMrkdwn(f.name)}* — ${stamp(f.at, f.messageId)} ${quote(f.quote)}`,
            ),
          ],
    ),
    section(disciplineLines(card)),
    section(triadLines(card)),
  ];
  if (card.improvements.length > 0) blocks.push(section(improvementLines(card)));
  if (card.warnings && card.warnings.length > 0) {
    blocks.push(context(card.warnings.map((w) => `⚠️ ${escapeMrkdwn(w)}`)));
  }
  blocks.push(context([`Scored by ${escapeMrkdwn(engineName(card))}`]));
  return {
    text: fallback(`Scorecard: ${card.overall}/100 · ${card.band} — ${card.prompt}`),
    blocks: fitBlocks(blocks),
  };
}

function criterionSection(
  c: CriterionScore,
  stamp: (at: number, messageId?: string) => string,
): types.SectionBlock {
  const confidence = c.lowConfidence ? ' · _low confidence_' : '';
  return section([
    `*${escapeMrkdwn(c.name)}* · ${c.weight}%${confidence}`,
    `\`${levelBar(c.level)}\` *${c.level}/4* — ${escapeMrkdwn(c.rationale)}`,
    ...c.evidence.map((e) => `${stamp(e.at, e.messageId)} ${quote(e.quote)}`),
  ]);
}

function disciplineLines(card: Scorecard): string[] {
  const d = card.phaseDiscipline;
  const when =
    d.hypothesisAt === null
      ? 'never'
      : `at ${formatClock(d.hypothesisAt)} (${d.hypothesisInFraming ? 'in framing' : 'after framing'})`;
  return [
    '*Phase discipline*',
    `Hypothesis first stated: ${when}`,
    ...d.phases.map(
      (p) => `• ${escapeMrkdwn(p.name)}: ${formatClock(p.seconds)} · ${p.words} words`,
    ),
  ];
}

function triadLines(card: Scorecard): string[] {
  const { linked, total, choices } = card.triad;
  return [
    `*Signal–Impact–Evidence:* ${linked} of ${total} design choices tied to the hypothesis and a measurement`,
    ...choices.map((c) => `${c.linked ? '✓' : '✗'} ${escapeMrkdwn(c.choice)} — ${quote(c.quote)}`),
  ];
}

function improvementLines(card: Scorecard): string[] {
  return [
    '*Improvements*',
    ...card.improvements.flatMap((imp, i) => [
      `${i + 1}. ${escapeMrkdwn(imp.text)}`,
      ...(imp.before && imp.after
        ? [`      Instead of: ${quote(imp.before)}`, `      Try: ${quote(imp.after)}`]
        : []),
    ]),
  ];
}

function engineName(card: Scorecard): string {
  const { name, model, reason } = card.engine;
  const base = model ? `${name} (${model})` : name;
  return reason ? `${base} — ${reason}` : base;
}

/** A quote from the candidate: on one line, clipped, escaped, in curly quotes. */
function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `“${escapeMrkdwn(clipPlain(flat, QUOTE_CHARS))}”`;
}
