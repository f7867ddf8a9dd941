import type { Scorecard } from './scorecard.js';

/** `mm:ss` (or `h:mm:ss`) of a number of seconds. */
export function formatClock(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(2, '0');
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** A level as a bar of four blocks, e.g. `███░`. */
export function levelBar(level: number): string {
  return '█'.repeat(level) + '░'.repeat(4 - level);
}

/** The scorecard as plain text, for the terminal and for logs. */
export function renderScorecardText(card: Scorecard): string {
  const lines: string[] = [];
  const engine = card.engine.reason
    ? `${card.engine.name} (${card.engine.reason})`
    : card.engine.name;
  lines.push(
    `SCORECARD — ${card.overall}/100 · ${card.band}`,
    `Prompt: ${card.prompt}`,
    `Scored by: ${engine}`,
  );
  for (const warning of card.warnings ?? []) lines.push(`Note: ${warning}`);
  lines.push('');
  for (const c of card.criteria) {
    const confidence = c.lowConfidence ? ' (low confidence)' : '';
    lines.push(`${levelBar(c.level)} ${c.level}/4  ${c.name} (${c.weight}%)${confidence}`);
    lines.push(`      ${c.rationale}`);
    for (const e of c.evidence) lines.push(`      [${formatClock(e.at)}] “${e.quote}”`);
  }
  lines.push('');
  if (card.flags.length > 0) {
    lines.push('Red flags:');
    for (const f of card.flags) lines.push(`  ⚑ ${f.name} — [${formatClock(f.at)}] “${f.quote}”`);
  } else lines.push('Red flags: none');
  const d = card.phaseDiscipline;
  lines.push(
    '',
    `Hypothesis first stated: ${d.hypothesisAt === null ? 'never' : `${formatClock(d.hypothesisAt)}${d.hypothesisInFraming ? ' (in framing)' : ' (after framing)'}`}`,
    `Time per phase: ${d.phases.map((p) => `${p.name} ${formatClock(p.seconds)} (${p.words} words)`).join(' · ')}`,
    `Signal–Impact–Evidence: ${card.triad.linked} of ${card.triad.total} design choices tied to the hypothesis and a measurement`,
    '',
    'Improvements:',
  );
  card.improvements.forEach((imp, i) => {
    lines.push(`  ${i + 1}. ${imp.text}`);
    if (imp.before && imp.after)
      lines.push(`     Instead of: “${imp.before}”`, `     Try:        “${imp.after}”`);
  });
  return lines.join('\n');
}
