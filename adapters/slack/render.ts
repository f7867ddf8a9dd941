import type { OutboundMessage, PlannedPhase } from '../../src/messages.js';
import { formatClock } from '../../src/scoring/render-text.js';
import { context, fallback, fitBlocks, header, type RenderedMessage, section } from './blocks.js';
import { controlBlocks } from './controls.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { type Permalinks, renderScorecard } from './render-scorecard.js';

export type { RenderedMessage } from './blocks.js';

type Of<K extends OutboundMessage['kind']> = Extract<OutboundMessage, { kind: K }>;

/**
 * Block Kit for a core message. What it says comes from the core unchanged; every text from the
 * core or a candidate is escaped. `links` maps candidate message ids (Slack `ts`) to permalinks
 * for the scorecard's evidence quotes.
 */
export function renderMessage(
  message: OutboundMessage,
  links: Permalinks = new Map(),
): RenderedMessage {
  switch (message.kind) {
    case 'prompt':
      return renderPrompt(message);
    case 'interviewer':
      return renderInterviewer(message);
    case 'scorecard':
      return renderScorecard(message.scorecard, links);
    case 'notice':
      return {
        text: fallback(message.text),
        blocks: [section([escapeMrkdwn(message.text)])],
      };
  }
}

/** The thread root: the prompt, its context, the phase plan with times, and the controls. */
function renderPrompt(m: Of<'prompt'>): RenderedMessage {
  const { prompt } = m;
  const kind = { live: 'Live round', async: 'Async round', challenge: 'Team challenge' }[m.mode];
  const plan = m.phases.map(phaseLine);
  const how =
    m.mode === 'async'
      ? 'Answer in this thread at your own pace. Say `next` when a phase is done (it also moves on at its deadline), or `end` to finish.'
      : 'Answer in this thread. Say `next` to move on early or `end` to finish; `/mockdesign status` shows the time left.';
  const blocks = [
    header(prompt.title),
    section([escapeMrkdwn(prompt.prompt)]),
    section(prompt.context.split('\n').map((line) => `>${escapeMrkdwn(line)}`)),
    section([`*Phase plan* — ${kind}, ${duration(m.minutes)}`, ...plan]),
    context([
      `Candidate${m.candidates.length === 1 ? '' : 's'}: ${m.candidates.map(mention).join(', ')}`,
      how,
    ]),
    ...controlBlocks(m.controls),
  ];
  return {
    text: fallback(`Mock design round: ${prompt.title} — ${prompt.prompt}`),
    blocks: fitBlocks(blocks),
  };
}

/** An interviewer line with a banner: the phase, the minute and the time left. */
function renderInterviewer(m: Of<'interviewer'>): RenderedMessage {
  const banner = `*${escapeMrkdwn(m.phaseName)}* · ${formatClock(m.minute * 60)} in · ${formatClock(m.remainingMinutes * 60)} left`;
  return {
    text: fallback(`Interviewer: ${m.text}`),
    blocks: [context([banner]), section([escapeMrkdwn(m.text)]), ...controlBlocks(m.controls)],
  };
}

function phaseLine(p: PlannedPhase): string {
  return `\`${formatClock(p.startMinute * 60)}\` *${escapeMrkdwn(p.name)}* · ${duration(p.minutes)} — ${escapeMrkdwn(p.goal)}`;
}

/** `15 min`, or hours for long (async) spans: `72 h`. */
function duration(minutes: number): string {
  if (minutes < 120) return `${Math.round(minutes * 10) / 10} min`;
  return `${Math.round((minutes / 60) * 10) / 10} h`;
}

/** A user mention for a Slack user id; anything else shown as escaped text. */
export function mention(user: string): string {
  return /^[UW][A-Z0-9]+$/.test(user) ? `<@${user}>` : escapeMrkdwn(user);
}
