import { createInterface } from 'node:readline';
import type { Command } from '../../src/commands/command.js';
import type { OutboundMessage } from '../../src/messages.js';
import type { ChatPlatform, CommandHandler } from '../../src/ports/chat-platform.js';
import { renderTerminal } from './render.js';

export const TERMINAL_CHANNEL = 'terminal:local';
export const TERMINAL_USER = 'you';

export interface TerminalOptions {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream;
}

/** A terminal as a chat platform: one channel, one candidate, stdin lines as replies. */
export interface TerminalPlatform extends ChatPlatform {
  /** Resolves once a scorecard has been shown. */
  readonly finished: Promise<void>;
}

export function createTerminalPlatform(options: TerminalOptions): TerminalPlatform {
  const { input, output } = options;
  let threads = 0;
  let lines = 0;
  let thread = `${TERMINAL_CHANNEL}:0`;
  let markFinished: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    markFinished = resolve;
  });
  let reader: ReturnType<typeof createInterface> | undefined;
  let stopped = false;
  const write = (text: string) => output.write(text.endsWith('\n') ? text : `${text}\n`);
  const show = (message: OutboundMessage) => {
    write(renderTerminal(message));
    if (message.kind === 'scorecard') markFinished();
  };
  const origin = { platform: 'terminal', user: TERMINAL_USER, channel: TERMINAL_CHANNEL };

  return {
    name: 'terminal',
    finished,
    async start(handler: CommandHandler) {
      reader = createInterface({ input, terminal: false });
      const send = async (command: Command) => {
        const result = await handler(command);
        if (result.text) write(`» ${result.text}`);
      };
      let queue = Promise.resolve();
      reader.on('line', (line) => {
        const n = ++lines;
        const word = line.trim().toLowerCase();
        const command: Command =
          word === 'help' || word === 'prompts'
            ? { kind: word, origin: { ...origin, thread } }
            : { kind: 'reply', origin: { ...origin, thread }, messageId: `line-${n}`, text: line };
        queue = queue.then(() => send(command));
      });
      // Ctrl-D at a prompt ends the round; piped input just runs until time is up.
      reader.on('close', () => {
        if (input.isTTY && !stopped)
          queue = queue.then(() => send({ kind: 'end', origin: { ...origin, thread } }));
      });
    },
    async stop() {
      stopped = true;
      reader?.close();
    },
    async openThread(_channel, message) {
      thread = `${TERMINAL_CHANNEL}:${++threads}`;
      show(message);
      return { thread, messageId: `${thread}:root` };
    },
    async post(_thread, message) {
      show(message);
      return { messageId: `out-${Date.now()}` };
    },
    async ephemeral(_address, _user, text) {
      write(`» ${text}`);
    },
  };
}
