/** Small builders for the Block Kit blocks mockdesign uses, each within Block Kit's limits. */
import type { types } from '@slack/bolt';
import { clipMrkdwn, clipPlain, fitLines, LIMITS } from './mrkdwn.js';

/** A message ready for `chat.postMessage`: notification text plus blocks. */
export interface RenderedMessage {
  /** Fallback text for notifications, screen readers and clients without blocks. */
  readonly text: string;
  readonly blocks: types.KnownBlock[];
}

export function header(text: string): types.HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: clipPlain(text, LIMITS.headerText) } };
}

/** A section of escaped mrkdwn lines, fitted into the section text limit. */
export function section(lines: readonly string[]): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: fitLines(lines, LIMITS.sectionText) } };
}

/** A context block of escaped mrkdwn snippets (at most ten, as Slack allows). */
export function context(items: readonly string[]): types.ContextBlock {
  return {
    type: 'context',
    elements: items.slice(0, LIMITS.contextElements).map((text) => ({
      type: 'mrkdwn' as const,
      text: clipMrkdwn(text, LIMITS.sectionText),
    })),
  };
}

export function divider(): types.DividerBlock {
  return { type: 'divider' };
}

/** At most {@link LIMITS.blocks} blocks: the rest replaced by a note saying how many were left out. */
export function fitBlocks(blocks: readonly types.KnownBlock[]): types.KnownBlock[] {
  if (blocks.length <= LIMITS.blocks) return [...blocks];
  const kept = blocks.slice(0, LIMITS.blocks - 1);
  const left = blocks.length - kept.length;
  return [
    ...kept,
    context([`_…${left} more sections not shown (Slack allows ${LIMITS.blocks})._`]),
  ];
}

/** Fallback text clipped to a size every client shows. */
export function fallback(text: string): string {
  return clipPlain(text, LIMITS.fallbackText);
}
