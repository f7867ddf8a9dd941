import { type APIEmbed, type APIEmbedField, escapeMarkdown } from 'discord.js';
import { formatClock, levelBar } from '../../src/scoring/render-text.js';
import type { Scorecard } from '../../src/scoring/scorecard.js';
import { type DiscordPlace, messageLink } from './address.js';
import { EMBED_LIMITS, fitLines, truncate } from './embed-limits.js';

/** Longest quote shown in one evidence line; the rest of the message is a jump link away. */
const QUOTE_CHARS = 240;
/** Longest rationale line of a criterion. */
const RATIONALE_CHARS = 400;

/** Score colours: green from 75, amber from 50, red below. */
export function scoreColour(overall: number): number {
  if (overall >= 75) return 0x23a55a;
  if (overall >= 50) return 0xf0b232;
  return 0xf23f43;
}

/**
 * The scorecard as embeds: a summary with one field per criterion (level bar, rationale, evidence
 * with jump links to the candidate's messages), then red flags, then improvements with the engine
 * in the footer. Parts may exceed Discord's limits; the caller fits and packs them.
 */
export function scorecardEmbeds(card: Scorecard, place: DiscordPlace): APIEmbed[] {
  const colour = scoreColour(card.overall);
  const evidence = (quote: string, at: number, messageId: string | undefined) => {
    const clock = formatClock(at);
    const stamp =
      messageId && /^\d{1,20}$/.test(messageId)
        ? `[${clock}](${messageLink(place, messageId)})`
        : `\`${clock}\``;
    const text = escapeMarkdown(truncate(quote.replace(/\s+/g, ' ').trim(), QUOTE_CHARS));
    return `${stamp} “${text}”`;
  };

  const criteria: APIEmbedField[] = card.criteria.map((c) => ({
    name: `${levelBar(c.level)} ${c.level}/4 · ${c.name} (${c.weight}%)${c.lowConfidence ? ' · low confidence' : ''}`,
    value: fitLines(
      [
        truncate(c.rationale, RATIONALE_CHARS),
        ...c.evidence.map((e) => `> ${evidence(e.quote, e.at, e.messageId)}`),
      ],
      EMBED_LIMITS.fieldValue,
    ),
  }));
  const d = card.phaseDiscipline;
  const hypothesis =
    d.hypothesisAt === null
      ? 'never'
      : `${formatClock(d.hypothesisAt)} (${d.hypothesisInFraming ? 'in framing' : 'after framing'})`;
  const summary: APIEmbed = {
    title: `Scorecard — ${card.overall}/100 · ${card.band}`,
    description: [
      `**Prompt:** ${card.prompt}`,
      `**Hypothesis first stated:** ${hypothesis}`,
      `**Time per phase:** ${d.phases.map((p) => `${p.name} ${formatClock(p.seconds)} (${p.words} words)`).join(' · ')}`,
      `**Signal–Impact–Evidence:** ${card.triad.linked} of ${card.triad.total} design choices tied to the hypothesis and a measurement`,
    ].join('\n'),
    color: colour,
    fields: criteria,
  };

  const flags: APIEmbed =
    card.flags.length === 0
      ? { title: 'Red flags', description: 'None.', color: colour }
      : {
          title: `Red flags (${card.flags.length})`,
          color: colour,
          fields: card.flags.map((f) => ({
            name: `⚑ ${f.name}`,
            value: evidence(f.quote, f.at, f.messageId),
          })),
        };

  const improvements = card.improvements.map((imp, i) => {
    const lines = [`**${i + 1}.** ${imp.text}`];
    if (imp.before && imp.after) {
      lines.push(
        `> Instead of: “${escapeMarkdown(truncate(imp.before, QUOTE_CHARS))}”`,
        `> Try: “${escapeMarkdown(truncate(imp.after, QUOTE_CHARS * 2))}”`,
      );
    }
    return lines.join('\n');
  });
  const engine = [
    `Scored by ${card.engine.name}`,
    card.engine.model ? ` (${card.engine.model})` : '',
    card.engine.reason ? ` — ${card.engine.reason}` : '',
  ].join('');
  const closing: APIEmbed = {
    title: 'Improvements',
    description:
      improvements.length > 0
        ? fitLines(improvements, EMBED_LIMITS.description)
        : 'Nothing specific: keep doing what you did.',
    color: colour,
    footer: { text: engine },
  };
  if (card.warnings?.length) {
    closing.fields = [
      {
        name: 'About this scoring',
        value: fitLines(
          card.warnings.map((w) => `• ${w}`),
          EMBED_LIMITS.fieldValue,
        ),
      },
    ];
  }
  return [summary, flags, closing];
}
