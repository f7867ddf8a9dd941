import {
  clearScreenDown,
  createInterface,
  cursorTo,
  type Interface,
  moveCursor,
} from 'node:readline';
import type { Command } from '../../src/commands/command.js';
import type { ChatPlatform, CommandHandler } from '../../src/ports/chat-platform.js';
import type { Card } from '../../src/presentation/card.js';
import type { RoundClock } from '../../src/presentation/clock.js';
import { formatClock } from '../../src/presentation/format.js';
import { apologyCard } from '../../src/presentation/replies.js';
import { renderCard, terminalWidth } from './render.js';
import { textWidth } from './text-width.js';

export { renderCard, terminalWidth } from './render.js';

/** The terminal's one channel. Threads in it are `terminal:local:N`, one per round. */
export const TERMINAL_CHANNEL = 'terminal:local';
/** The terminal's one user: the person at the keyboard. */
export const TERMINAL_USER = 'you';

/** How often the clock prompt is redrawn and due notices are looked for. */
const TICK_MS = 1000;

export interface TerminalOptions {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream;
  /** Wall time in epoch milliseconds; `Date.now` by default. */
  readonly now?: () => number;
  /** Called on a Ctrl-C once the round is already ending: the CLI exits at once. */
  readonly onQuit?: () => void;
}

/** A terminal as a chat platform: one channel, one person, each typed line sent to the core. */
export interface TerminalPlatform extends ChatPlatform {
  /** Resolves once a scorecard has been shown. */
  readonly finished: Promise<void>;
  /**
   * What Ctrl-C does: the first takes the line being typed as a reply (see `giveTyped`) and ends
   * the round as end of input does (it is scored on what was said); the next, or any once the
   * round is already ending, calls `onQuit`.
   */
  interrupt(): void;
  /**
   * Takes the line being typed, Enter not yet pressed, as a reply, as if Enter were pressed (a
   * blank one is left as it is); resolves once the core has taken it and every line before it.
   * Called as the round's time runs out, before its end: the line was written in time.
   */
  giveTyped(): Promise<void>;
}

/**
 * The terminal platform. Every typed line goes to the core as a reply (the core knows which are
 * commands); what the core answers or posts is printed as text. While a round runs on a TTY the
 * prompt shows the phase and the time left in it, redrawn every second without losing what is
 * being typed, and the round's notices are printed when their time comes.
 */
export function createTerminalPlatform(options: TerminalOptions): TerminalPlatform {
  const { input, output, onQuit } = options;
  const now = options.now ?? (() => Date.now());
  // Only a terminal at both ends gets the live prompt: with the output going to a file or a pipe
  // (`| tee round.log`) its redrawing would fill the file with control sequences.
  const tty = Boolean(input.isTTY) && Boolean((output as { isTTY?: boolean }).isTTY);

  let threads = 0;
  let lines = 0;
  let posts = 0;
  let thread = `${TERMINAL_CHANNEL}:0`;
  let handler: CommandHandler | undefined;
  let reader: Interface | undefined;
  let closed = false;
  let stopped = false;
  /** An `end` has been sent for the current round (by end of input or Ctrl-C). */
  let ending = false;
  /** The core has said the current round is over (it took the round's clock away). */
  let over = false;
  /** The line being typed is being given in (`giveTyped`): a blank one is no reply. */
  let giving = false;
  let queue = Promise.resolve();

  let clock: { readonly thread: string; readonly value: RoundClock } | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  /** Notices already printed, by time and summary: a clock sent again does not repeat them. */
  const noticed = new Set<string>();
  let prompt = '';

  let markFinished: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    markFinished = resolve;
  });

  /** The readline interface while it shows a prompt line that printing must step around. */
  const liveReader = () => (tty && reader && !closed ? reader : undefined);

  /** Clears the prompt and the typed line after it, which may wrap over several rows. */
  const clearPrompt = (rl: Interface) => {
    const { rows } = rl.getCursorPos();
    if (rows > 0) moveCursor(output, 0, -rows);
    cursorTo(output, 0);
    clearScreenDown(output);
  };

  /** Clears the prompt line, does `between`, and draws the prompt with the typed line below. */
  const aroundPrompt = (rl: Interface, between: () => void) => {
    clearPrompt(rl);
    between();
    // readline goes up by the rows it last drew before it redraws. The cursor is now at the
    // start of the prompt's row, so that is 0; readline's own count can also be stale, as it
    // writes pasted text without counting the rows it wraps over. (`prevRows` is not in the
    // typings but has been readline's field for this since Node 0.x; were it renamed, only
    // wrapped lines would be redrawn a few rows low.)
    (rl as Interface & { prevRows?: number }).prevRows = 0;
    rl.prompt(true);
  };

  /**
   * Prints text on lines of its own. On a TTY the prompt and what is typed after it are cleared
   * first and drawn again below the text, so the person's unfinished line is kept.
   */
  const print = (text: string) => {
    const rl = liveReader();
    if (rl) aroundPrompt(rl, () => output.write(`${text}\n\n`));
    else output.write(`${text}\n\n`);
  };

  const show = (card: Card, firstLinePrefix = '') => {
    // Wrapped to the terminal's width now (it may have been resized), the prefix's columns aside.
    const width = tty ? terminalWidth(output) : undefined;
    const text = renderCard(card, {
      ...(width === undefined ? {} : { width: width - textWidth(firstLinePrefix) }),
    });
    print(`${firstLinePrefix}${text}`);
    if (card.kind === 'scorecard') markFinished();
  };

  const promptFor = (at: number): string => {
    if (!clock) return '';
    const { phase, phaseEndsAt, timeScale } = clock.value;
    const left = Math.max(0, Math.ceil((phaseEndsAt - at) / timeScale / 1000));
    return `[${phase} · ${formatClock(left)} left] > `;
  };

  /** Sets the prompt and draws it again, keeping the typed line, when it changed (or `force`). */
  const redrawPrompt = (force = false) => {
    const next = promptFor(now());
    const rl = liveReader();
    if (!rl || (next === prompt && !force)) {
      prompt = next;
      return;
    }
    prompt = next;
    aroundPrompt(rl, () => rl.setPrompt(next));
  };

  /** Prints each notice that is due and not yet printed, in time order. */
  const printDueNotices = () => {
    if (!clock) return;
    const at = now();
    const due = clock.value.notices
      .filter((notice) => notice.at <= at && !noticed.has(noticeKey(notice)))
      .sort((a, b) => a.at - b.at);
    for (const notice of due) {
      noticed.add(noticeKey(notice));
      show(notice.card);
    }
  };

  const tick = () => {
    printDueNotices();
    redrawPrompt();
  };

  const stopTicking = () => {
    if (ticker !== undefined) clearInterval(ticker);
    ticker = undefined;
  };

  /** Hands `command` to the core after every command before it, unless `wanted()` says no by then. */
  const send = (command: Command, wanted = () => true) => {
    queue = queue.then(async () => {
      if (!handler || !wanted()) return;
      try {
        const result = await handler(command);
        if (result.card) show(result.card);
      } catch {
        show(apologyCard());
      }
    });
  };

  const origin = () => ({
    platform: 'terminal',
    user: TERMINAL_USER,
    channel: TERMINAL_CHANNEL,
    thread,
  });

  /** Sends the line being typed as a reply, as Enter would; a blank one stays unsent. */
  const giveTyped = () => {
    // On a terminal readline holds the typed line; from a pipe, a line without its newline yet
    // is readline's own, so a newline is written in to finish it (a blank line it makes is left).
    if (!reader || closed || (tty && reader.line.trim() === '')) return;
    giving = true;
    try {
      reader.write('\n');
    } finally {
      giving = false;
    }
  };

  /** Ends the round; `prepared` when piped input ended (see the `end` command). */
  const end = (prepared = false) => {
    ending = true;
    giveTyped();
    // The line given in may have been `end` itself, or `next` from the last phase.
    send({ kind: 'end', origin: origin(), ...(prepared ? { prepared } : {}) }, () => !over);
  };

  const interrupt = () => {
    if (ending || stopped || !handler) onQuit?.();
    else end();
  };

  return {
    name: 'terminal',
    finished,

    async start(commandHandler) {
      handler = commandHandler;
      const rl = createInterface({ input, output, terminal: tty });
      reader = rl;
      rl.setPrompt(prompt);
      rl.on('line', (text) => {
        if (giving && text.trim() === '') return;
        if (liveReader()) rl.prompt();
        send({ kind: 'reply', origin: origin(), messageId: `line-${++lines}`, text });
      });
      // Ctrl-D at a prompt, or the end of piped input: the round ends and is scored. Piped input
      // is an answer prepared beforehand and given whole, so its round is not held to the clock.
      rl.on('close', () => {
        // Ctrl-D leaves the cursor after the prompt: take the prompt away, so that what is
        // printed next starts a line of its own. (`stop` clears it itself before closing.)
        if (tty && !closed) clearPrompt(rl);
        closed = true;
        if (!stopped && !ending) end(!input.isTTY);
      });
      rl.on('SIGINT', interrupt);
      redrawPrompt(true);
    },

    async stop() {
      stopped = true;
      stopTicking();
      clock = undefined;
      const rl = liveReader();
      if (rl) clearPrompt(rl);
      if (reader && !closed) {
        closed = true;
        reader.close();
      }
    },

    interrupt,

    async giveTyped() {
      if (!ending) giveTyped();
      await queue;
    },

    async openThread(_channel, card) {
      thread = `${TERMINAL_CHANNEL}:${++threads}`;
      ending = closed;
      over = false;
      show(card);
      return { thread, messageId: `${thread}:root` };
    },

    async post(address, card) {
      show(card);
      return { messageId: `${address}:${++posts}` };
    },

    async ephemeral(_address, _user, card) {
      show(card, '» ');
    },

    clock(address, value) {
      if (stopped) return;
      if (value) {
        clock = { thread: address, value };
        if (ticker === undefined) {
          ticker = setInterval(tick, TICK_MS);
          ticker.unref?.();
        }
        tick();
        return;
      }
      if (clock && clock.thread !== address) return;
      clock = undefined;
      // The round is over (a typed `end`, the last phase's `next`, time): end of input or Ctrl-C
      // from now on has nothing to end, so Ctrl-C quits.
      ending = true;
      over = true;
      noticed.clear();
      stopTicking();
      redrawPrompt();
    },
  };
}

function noticeKey(notice: RoundClock['notices'][number]): string {
  return `${notice.at}\u0000${notice.card.summary}`;
}
