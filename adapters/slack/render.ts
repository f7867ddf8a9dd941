import type { types } from '@slack/bolt';
import type { Block, Card, Line } from '../../src/presentation/card.js';
import {
  context,
  divider,
  fallback,
  fitBlocks,
  header,
  type RenderedMessage,
  section,
} from './blocks.js';
import { controlBlocks } from './controls.js';
import { boldLine, mention, mentions, mrkdwnLine, type Permalinks } from './inline.js';
import { chunkLines, fitLines, LIMITS } from './mrkdwn.js';

export type { RenderedMessage } from './blocks.js';
export { type Permalinks, quotedMessageIds } from './inline.js';

/**
 * A card as Block Kit. Every word comes from the card; this only adds markup and keeps Block
 * Kit's limits. `links` maps candidate message ids (Slack `ts`) to permalinks, for quote stamps.
 *
 * Layout: the title as a header, the banner as a context line, the notify line as a section (so
 * its mentions notify), the body blocks in order, the footer as a context line, the controls as
 * buttons. A body too long for one message loses its last blocks, never the footer or buttons.
 */
export function renderCard(card: Card, links: Permalinks = new Map()): RenderedMessage {
  const head: types.KnownBlock[] = [
    ...(card.title ? header(card.title) : []),
    ...(card.banner ? context([mrkdwnLine(card.banner, links)]) : []),
    ...(card.notify ? section(notifyText(card.notify, links)) : []),
  ];
  const body = card.blocks.flatMap((block) => renderBlock(block, links));
  const tail: types.KnownBlock[] = [
    ...(card.footer ? context([mrkdwnLine(card.footer, links)]) : []),
    ...controlBlocks(card.controls),
  ];
  return { text: fallback(card.summary), blocks: fitBlocks([...head, ...body], tail) };
}

function renderBlock(block: Block, links: Permalinks): types.KnownBlock[] {
  const line = (l: Line) => mrkdwnLine(l, links);
  switch (block.type) {
    case 'text':
      // Read in full: a long text goes on over several sections rather than being cut.
      return sections(block.lines.map(line));
    case 'quote':
      return sections(
        block.lines.flatMap((l) =>
          line(l)
            .split('\n')
            .map((part) => `>${part}`),
        ),
      );
    case 'list':
      return sections(
        block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '•'} ${line(item)}`),
      );
    case 'section': {
      const title = boldLine(block.title, links);
      const lines = block.lines.map(line);
      return section(fitLines(title === '' ? lines : [title, ...lines], LIMITS.sectionText));
    }
    case 'note':
      return context([fitLines(block.lines.map(line), LIMITS.sectionText)]);
    case 'divider':
      return [divider()];
  }
}

/** Sections holding `lines` whole, as many as they need. */
function sections(lines: readonly string[]): types.KnownBlock[] {
  return chunkLines(lines, LIMITS.sectionText).flatMap(section);
}

/** The notify line, with a mention of each person to notify whom the line does not name itself. */
function notifyText(notify: NonNullable<Card['notify']>, links: Permalinks): string {
  const missing = notify.users.filter((user) => !mentions(notify.line, user)).map(mention);
  const text = mrkdwnLine(notify.line, links);
  return missing.length === 0 ? text : `${missing.join(' ')} ${text}`;
}
