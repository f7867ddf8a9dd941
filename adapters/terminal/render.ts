import type { OutboundMessage } from '../../src/messages.js';
import { formatClock, renderScorecardText } from '../../src/scoring/render-text.js';

/** Terminal text for a core message. */
export function renderTerminal(message: OutboundMessage): string {
  switch (message.kind) {
    case 'prompt': {
      const plan = message.phases
        .map(
          (p) =>
            `  ${formatClock(p.startMinute * 60)}  ${p.name} (${Math.round(p.minutes)} min) — ${p.goal}`,
        )
        .join('\n');
      return [
        `━━ ${message.prompt.title} ━━`,
        message.prompt.prompt,
        '',
        message.prompt.context,
        '',
        `${message.mode === 'async' ? 'Async round' : 'Round'} of ${Math.round(message.minutes)} minutes:`,
        plan,
        '',
        'Type your answers line by line. Commands: next, end, status, help.',
        '',
      ].join('\n');
    }
    case 'interviewer':
      return `\n[${formatClock(message.minute * 60)} · ${message.phaseName} · ${formatClock(message.remainingMinutes * 60)} left] Interviewer: ${message.text}\n`;
    case 'scorecard':
      return `\n${renderScorecardText(message.scorecard)}\n`;
    case 'notice':
      return `» ${message.text}\n`;
  }
}
