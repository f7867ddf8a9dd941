import type { PlatformRefusal } from '../errors.js';
import { type Card, type CardKind, type Line, plainLine, type Tone } from './card.js';
import type { Surface } from './help-card.js';

/** A card of one or more plain lines, answered privately to one person. */
export function textCard(kind: CardKind, tone: Tone, lines: readonly Line[]): Card {
  return {
    kind,
    tone,
    summary: lines.map((line) => plainLine(line)).join(' '),
    blocks: [{ type: 'text', lines }],
    controls: [],
  };
}

/** Something the person asked for that cannot be done as written; the text says how to fix it. */
export function refusalCard(text: string): Card {
  return textCard(
    'refusal',
    'warning',
    text.split('\n').map((line) => [line]),
  );
}

/** A short confirmation or piece of information. */
export function noticeCard(text: string): Card {
  return textCard(
    'notice',
    'neutral',
    text.split('\n').map((line) => [line]),
  );
}

/** A failure on our side: nothing the person did wrong, and nothing of theirs lost. */
export function apologyCard(): Card {
  return textCard('apology', 'error', [
    ['Sorry — something went wrong on our side. Your round is safe; please try again in a moment.'],
  ]);
}

/** A reply that could not be stored: it is not part of the round, so it must be sent again. */
export function replyNotSavedCard(): Card {
  return textCard('apology', 'error', [
    [
      'Sorry — that reply could not be saved just now, so it is not part of your round yet. Please send it again in a moment.',
    ],
  ]);
}

/** Commands given outside a server channel (Discord direct messages). */
export function serverOnlyCard(): Card {
  return refusalCard(
    'mockdesign runs in server channels: use `/mockdesign` in a channel of a server.',
  );
}

/**
 * Why the platform refused a post where a challenge or a round had its card or thread, as the
 * person who can fix it is told in their direct messages.
 */
export const whyRefused: Record<PlatformRefusal, string> = {
  cannot_post_here:
    'I may not post in its channel (invite me to it, with my permissions), or it was deleted',
  channel_archived: 'its channel or thread was archived or locked',
  wrong_channel_type:
    'its channel cannot hold the private threads attempts need (on Discord, use a text channel)',
};

/** The platform would not let us post where the round was asked for, for a reason the person can fix. */
export function platformRefusalCard(refusal: PlatformRefusal, surface: Surface = 'chat'): Card {
  return refusalCard(
    {
      channel_archived:
        'This channel is archived, so I cannot post the round here. Start it in another channel.',
      cannot_post_here:
        surface === 'slash'
          ? 'I cannot post in this channel yet. Give me View Channel, Send Messages, Create Public Threads and Send Messages in Threads here (or invite me again with my permissions), or start the round in a channel where I can post.'
          : 'I cannot post in this conversation yet. Invite me to it (`/invite @mockdesign`), or start the round in a channel I am in.',
      wrong_channel_type:
        'This kind of channel cannot hold the thread I need (on Discord, private threads live in text channels only, so team challenges need one). Run it again in a text channel.',
    }[refusal],
  );
}
