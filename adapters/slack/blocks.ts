/**
 * Small builders for the Block Kit blocks mockdesign uses, each within Block Kit's limits. Each
 * returns a list, empty when there is nothing to show: Slack rejects a block with empty text.
 */
import type { types } from '@slack/bolt';
import { clipMrkdwn, clipPlain, escapeMrkdwn, LIMITS, leftOut } from './mrkdwn.js';

/** A message ready for `chat.postMessage`: notification text plus blocks. */
export interface RenderedMessage {
  /** Fallback text for notifications, screen readers and clients without blocks (escaped). */
  readonly text: string;
  readonly blocks: types.KnownBlock[];
}

/** A header of plain text (no markup), clipped to the header limit. */
export function header(text: string): types.HeaderBlock[] {
  if (text.trim() === '') return [];
  return [
    { type: 'header', text: { type: 'plain_text', text: clipPlain(text, LIMITS.headerText) } },
  ];
}

/** A section of escaped mrkdwn, clipped to the section text limit. */
export function section(text: string): types.SectionBlock[] {
  if (text.trim() === '') return [];
  return [
    { type: 'section', text: { type: 'mrkdwn', text: clipMrkdwn(text, LIMITS.sectionText) } },
  ];
}

/** A context block of escaped mrkdwn snippets (at most ten, as Slack allows). */
export function context(items: readonly string[]): types.ContextBlock[] {
  const elements = items
    .filter((text) => text.trim() !== '')
    .slice(0, LIMITS.contextElements)
    .map((text) => ({ type: 'mrkdwn' as const, text: clipMrkdwn(text, LIMITS.sectionText) }));
  return elements.length === 0 ? [] : [{ type: 'context', elements }];
}

export function divider(): types.DividerBlock {
  return { type: 'divider' };
}

/**
 * At most {@link LIMITS.blocks} blocks, `tail` (the footer and the buttons) always among them: the
 * body blocks that do not fit are replaced by the core's note of how many were left out.
 */
export function fitBlocks(
  blocks: readonly types.KnownBlock[],
  tail: readonly types.KnownBlock[] = [],
): types.KnownBlock[] {
  const room = LIMITS.blocks - tail.length;
  if (blocks.length <= room) return [...blocks, ...tail];
  const kept = blocks.slice(0, room - 1);
  return [...kept, ...context([leftOut(blocks.length - kept.length)]), ...tail];
}

/** Fallback text: escaped, and clipped to a size every client shows. */
export function fallback(text: string): string {
  return clipMrkdwn(escapeMrkdwn(text), LIMITS.fallbackText);
}
