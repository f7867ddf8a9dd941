import type { APIEmbed, RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { OutboundMessage } from '../../src/messages.js';
import { formatClock } from '../../src/scoring/render-text.js';
import type { DiscordPlace } from './address.js';
import { controlRow } from './controls.js';
import {
  EMBED_LIMITS,
  fitEmbed,
  fitLines,
  packEmbeds,
  splitContent,
  truncate,
} from './embed-limits.js';
import { scorecardEmbeds } from './scorecard-embeds.js';

/** One Discord message to post: content, embeds, buttons and who may be pinged. */
export type DiscordMessage = Pick<
  RESTPostAPIChannelMessageJSONBody,
  'content' | 'embeds' | 'components' | 'allowed_mentions'
>;

/** Embed colours, by what a message is. */
export const COLOURS = {
  prompt: 0x5865f2,
  phase: 0x5865f2,
  interjection: 0xf0b232,
  closing: 0x80848e,
  notice: 0x80848e,
} as const;

/**
 * A core message as one or more Discord messages (several when its embeds exceed Discord's
 * limits), posted in order; buttons go on the last one. `place` is where they will be posted, for
 * jump links to the candidate's messages.
 */
export function renderMessage(message: OutboundMessage, place: DiscordPlace): DiscordMessage[] {
  switch (message.kind) {
    case 'prompt':
      return withControls(
        [promptCard(message)],
        message.controls,
        message.candidates.length > 0
          ? {
              content: truncate(
                `${message.candidates.map((id) => `<@${id}>`).join(' ')} your round is ready: answer in the thread below.`,
                EMBED_LIMITS.content,
              ),
              allowed_mentions: { users: [...message.candidates].slice(0, 100) },
            }
          : {},
      );
    case 'interviewer':
      return withControls([interviewerBanner(message)], message.controls);
    case 'scorecard':
      return withControls(scorecardEmbeds(message.scorecard, place), []);
    case 'notice':
      return splitContent(message.text).map((content) => ({
        content,
        allowed_mentions: { parse: [] },
      }));
  }
}

/** The name of the thread a round runs in. */
export function threadName(message: OutboundMessage): string {
  const title = message.kind === 'prompt' ? message.prompt.title : 'mockdesign round';
  return truncate(`Mock round: ${title}`, 100);
}

function withControls(
  embeds: readonly APIEmbed[],
  controls: Parameters<typeof controlRow>[0],
  first: Pick<DiscordMessage, 'content' | 'allowed_mentions'> = {},
): DiscordMessage[] {
  const groups = packEmbeds(embeds.flatMap(fitEmbed));
  const row = controlRow(controls);
  return groups.map((group, index) => {
    const message: DiscordMessage = {
      embeds: group,
      allowed_mentions: { parse: [] },
      ...(index === 0 ? first : {}),
    };
    if (row && index === groups.length - 1) message.components = [row];
    return message;
  });
}

function promptCard(message: Extract<OutboundMessage, { kind: 'prompt' }>): APIEmbed {
  const { prompt, phases } = message;
  const plan = phases.map(
    (p) =>
      `\`${formatClock(p.startMinute * 60)}–${formatClock((p.startMinute + p.minutes) * 60)}\` **${p.name}** — ${p.goal}`,
  );
  const length =
    message.mode === 'async'
      ? `Async round over ${roundHours(message.minutes)}: say \`next\` when a phase is done.`
      : `${message.mode === 'challenge' ? 'Challenge' : 'Live round'} of ${Math.round(message.minutes)} minutes: the interviewer cuts in on schedule.`;
  return {
    title: prompt.title,
    description: `**${prompt.prompt}**\n\n${prompt.context}`,
    color: COLOURS.prompt,
    fields: [
      { name: 'Phase plan', value: fitLines(plan, EMBED_LIMITS.fieldValue) },
      { name: 'How it runs', value: length },
    ],
    footer: {
      text: 'Answer in the thread. Say next or end there, or use the buttons; only the candidate can.',
    },
  };
}

function roundHours(minutes: number): string {
  const hours = Math.round(minutes / 60);
  return hours % 24 === 0 && hours >= 48 ? `${hours / 24} days` : `${hours} hours`;
}

function interviewerBanner(message: Extract<OutboundMessage, { kind: 'interviewer' }>): APIEmbed {
  const colour = message.event.startsWith('phase-')
    ? COLOURS.phase
    : message.event === 'end'
      ? COLOURS.closing
      : COLOURS.interjection;
  return {
    author: { name: `Interviewer · ${message.phaseName}` },
    description: message.text,
    color: colour,
    footer: {
      text: `${formatClock(message.minute * 60)} elapsed · ${formatClock(message.remainingMinutes * 60)} left`,
    },
  };
}
