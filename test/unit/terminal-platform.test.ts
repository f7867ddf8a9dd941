import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createTerminalPlatform,
  TERMINAL_CHANNEL,
  type TerminalPlatform,
} from '../../adapters/terminal/index.js';
import { renderCard } from '../../adapters/terminal/render.js';
import { graphemes, textWidth } from '../../adapters/terminal/text-width.js';
import type { Command, CommandResult } from '../../src/commands/command.js';
import type { Card } from '../../src/presentation/card.js';
import type { RoundClock } from '../../src/presentation/clock.js';
import { present } from '../../src/presentation/present.js';
import { asyncScorecard } from '../fixtures/async-scorecard.js';

/** A card of one plain line. */
function card(text: string, kind: Card['kind'] = 'notice'): Card {
  return {
    kind,
    tone: 'neutral',
    summary: text,
    blocks: [{ type: 'text', lines: [[text]] }],
    controls: [],
  };
}

/** A terminal with streams a test can type into and read, and a core that records commands. */
function terminal(
  options: {
    tty?: boolean;
    /** Whether the output is a TTY too when the input is one (default: it is). */
    outputTty?: boolean;
    columns?: number;
    answer?: (c: Command) => CommandResult;
  } = {},
) {
  const input = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (options.tty) input.isTTY = true;
  let text = '';
  const output = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  if (options.columns) Object.assign(output, { columns: options.columns });
  // A terminal is both: typed into and shown on (`mockdesign practice | tee log` is not one).
  if (options.tty) Object.assign(output, { isTTY: options.outputTty ?? true });
  const onQuit = vi.fn();
  const platform = createTerminalPlatform({ input, output, onQuit });
  const commands: Command[] = [];
  const handler = async (command: Command) => {
    commands.push(command);
    return options.answer?.(command) ?? {};
  };
  opened.push(platform);
  return {
    input,
    platform,
    /** Opens a round's thread, starts listening and shows the round's clock (`timeScale` 1, no notices by default). */
    async running(
      clock: Pick<RoundClock, 'phase' | 'phaseEndsAt' | 'roundEndsAt'> & Partial<RoundClock>,
    ): Promise<string> {
      const { thread } = await platform.openThread(TERMINAL_CHANNEL, card('Prompt', 'prompt'));
      await platform.start(handler);
      platform.clock?.(thread, { timeScale: 1, notices: [], ...clock });
      return thread;
    },
    commands,
    handler,
    onQuit,
    /** Everything printed so far. */
    printed: () => text,
    /** Everything printed so far, with terminal control sequences taken out. */
    // biome-ignore lint/suspicious/noControlCharactersInRegex: taking them out is the point
    visible: () => text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, ''),
  };
}

const opened: TerminalPlatform[] = [];
afterEach(async () => {
  for (const platform of opened.splice(0)) await platform.stop();
  vi.useRealTimers();
});

/** Lets stream events and queued promises run (setImmediate is never faked here). */
const settle = async (times = 5) => {
  for (let i = 0; i < times; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('the terminal platform', () => {
  it('sends every typed line to the core as a reply in its thread, commands included', async () => {
    const t = terminal();
    const { thread } = await t.platform.openThread(TERMINAL_CHANNEL, card('The prompt', 'prompt'));
    expect(thread).toMatch(/^terminal:local:\d+$/);
    await t.platform.start(t.handler);
    t.input.write('Who are the users?\nend\n\n');
    await vi.waitFor(() => expect(t.commands).toHaveLength(3));
    const origin = { platform: 'terminal', user: 'you', channel: TERMINAL_CHANNEL, thread };
    expect(t.commands).toEqual([
      { kind: 'reply', origin, messageId: 'line-1', text: 'Who are the users?' },
      { kind: 'reply', origin, messageId: 'line-2', text: 'end' },
      { kind: 'reply', origin, messageId: 'line-3', text: '' },
    ]);
  });

  it('hands lines to the core one at a time, in the order they were typed', async () => {
    const t = terminal();
    const seen: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await t.platform.start(async (command) => {
      if (command.kind !== 'reply') return {};
      seen.push(`start ${command.text}`);
      if (command.text === 'first') await gate;
      seen.push(`done ${command.text}`);
      return {};
    });
    t.input.write('first\nsecond\n');
    await settle();
    expect(seen).toEqual(['start first']);
    release();
    await vi.waitFor(() =>
      expect(seen).toEqual(['start first', 'done first', 'start second', 'done second']),
    );
  });

  it('prints the card the core answers with', async () => {
    const t = terminal({
      answer: (c) => (c.kind === 'reply' ? { card: card(`Heard: ${c.text}`) } : {}),
    });
    await t.platform.start(t.handler);
    t.input.write('status\n');
    await vi.waitFor(() => expect(t.printed()).toContain('Heard: status'));
  });

  it('prints posted cards and private ones, and is finished once a scorecard is shown', async () => {
    const t = terminal();
    let finished = false;
    void t.platform.finished.then(() => {
      finished = true;
    });
    const { thread } = await t.platform.openThread(TERMINAL_CHANNEL, card('Prompt', 'prompt'));
    await t.platform.post(thread, card('Interviewer speaks', 'interviewer'));
    await t.platform.ephemeral(thread, 'you', card('Only for you', 'status'));
    await settle();
    expect(t.printed()).toContain('Interviewer speaks');
    expect(t.printed()).toContain('» Only for you');
    expect(finished).toBe(false);
    await t.platform.post(thread, card('72/100', 'scorecard'));
    await t.platform.finished;
    expect(t.printed()).toContain('72/100');
  });

  it('ends the round once at the end of piped input, as a prepared answer given whole', async () => {
    const t = terminal();
    const { thread } = await t.platform.openThread(TERMINAL_CHANNEL, card('Prompt', 'prompt'));
    await t.platform.start(t.handler);
    t.input.end('last words\n');
    await vi.waitFor(() => expect(t.commands.map((c) => c.kind)).toEqual(['reply', 'end']));
    expect(t.commands[1]).toEqual({
      kind: 'end',
      origin: { platform: 'terminal', user: 'you', channel: TERMINAL_CHANNEL, thread },
      prepared: true,
    });
    t.platform.interrupt();
    await settle();
    expect(t.commands.filter((c) => c.kind === 'end')).toHaveLength(1);
    expect(t.onQuit).toHaveBeenCalledTimes(1);
  });

  it('does not end the round when it is stopped', async () => {
    const t = terminal();
    await t.platform.start(t.handler);
    await t.platform.stop();
    t.input.end();
    await settle();
    expect(t.commands).toEqual([]);
  });

  it('ends the round on the first Ctrl-C and quits on the second', async () => {
    const t = terminal();
    await t.platform.openThread(TERMINAL_CHANNEL, card('Prompt', 'prompt'));
    await t.platform.start(t.handler);
    t.platform.interrupt();
    await vi.waitFor(() => expect(t.commands.map((c) => c.kind)).toEqual(['end']));
    expect(t.onQuit).not.toHaveBeenCalled();
    t.platform.interrupt();
    expect(t.onQuit).toHaveBeenCalledTimes(1);
    t.input.end();
    await settle();
    expect(t.commands.map((c) => c.kind)).toEqual(['end']);
  });

  it('takes the line being typed as the last reply at Ctrl-C, before it ends the round', async () => {
    const t = terminal({ tty: true });
    await t.running({
      phase: 'sketch',
      phaseEndsAt: Date.now() + 600_000,
      roundEndsAt: Date.now() + 1_200_000,
    });
    t.input.write('and the cache sits in front of');
    await settle();
    t.input.write('\u0003');
    await vi.waitFor(() => expect(t.commands.map((c) => c.kind)).toEqual(['reply', 'end']));
    expect(t.commands[0]).toMatchObject({ text: 'and the cache sits in front of' });
    // It is taken once: Enter afterwards sends nothing of it again.
    t.input.write('\r');
    await settle();
    expect(t.commands.filter((c) => c.kind === 'reply' && c.text !== '')).toHaveLength(1);
  });

  it('takes the unfinished last line of piped input as a reply at Ctrl-C', async () => {
    const t = terminal();
    await t.platform.openThread(TERMINAL_CHANNEL, card('Prompt', 'prompt'));
    await t.platform.start(t.handler);
    t.input.write('a full line\nhalf a line');
    await vi.waitFor(() => expect(t.commands).toHaveLength(1));
    t.platform.interrupt();
    await vi.waitFor(() =>
      expect(t.commands.map((c) => (c.kind === 'reply' ? c.text : c.kind))).toEqual([
        'a full line',
        'half a line',
        'end',
      ]),
    );
  });

  it('sends no second end at Ctrl-C when the line being typed ended the round itself', async () => {
    let thread = '';
    // The core takes a typed `end` as the command, and takes the round's clock away.
    const t: ReturnType<typeof terminal> = terminal({
      tty: true,
      answer: (c) => {
        if (c.kind === 'reply' && c.text === 'end') t.platform.clock?.(thread, undefined);
        return {};
      },
    });
    thread = await t.running({
      phase: 'sketch',
      phaseEndsAt: Date.now() + 600_000,
      roundEndsAt: Date.now() + 1_200_000,
    });
    t.input.write('end');
    await settle();
    t.platform.interrupt();
    await settle();
    expect(t.commands.map((c) => c.kind)).toEqual(['reply']);
    expect(t.onQuit).not.toHaveBeenCalled();
  });

  it('gives in the line being typed as a reply when asked (time is up), and nothing when it is blank', async () => {
    const t = terminal({ tty: true });
    await t.running({
      phase: 'deep_dive',
      phaseEndsAt: Date.now() + 600_000,
      roundEndsAt: Date.now() + 600_000,
    });
    t.input.write('   ');
    await settle();
    await t.platform.giveTyped();
    expect(t.commands).toEqual([]);
    t.input.write('so the reranker pays for itself');
    await settle();
    await t.platform.giveTyped();
    // Resolved once the core has taken it.
    expect(t.commands).toEqual([
      expect.objectContaining({ kind: 'reply', text: '   so the reranker pays for itself' }),
    ]);
    t.input.write('next words\r');
    await vi.waitFor(() => expect(t.commands).toHaveLength(2));
    expect(t.commands[1]).toMatchObject({ kind: 'reply', text: 'next words' });
  });

  it('takes Ctrl-C from the keyboard when the input is a TTY', async () => {
    const t = terminal({ tty: true });
    await t.platform.start(t.handler);
    t.input.write('\u0003');
    await vi.waitFor(() => expect(t.commands.map((c) => c.kind)).toEqual(['end']));
    t.input.write('\u0003');
    await vi.waitFor(() => expect(t.onQuit).toHaveBeenCalledTimes(1));
  });

  it('prints each clock notice once, when its time comes, and none after the clock stops', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const start = Date.now();
    const t = terminal();
    const { thread } = await t.platform.openThread(TERMINAL_CHANNEL, card('Prompt', 'prompt'));
    await t.platform.start(t.handler);
    const clock: RoundClock = {
      phase: 'sketch',
      phaseEndsAt: start + 600_000,
      roundEndsAt: start + 1_200_000,
      timeScale: 1,
      notices: [
        { at: start + 2_500, card: card('Two minutes left in sketch') },
        { at: start + 10_000, card: card('Never shown') },
      ],
    };
    t.platform.clock?.(thread, clock);
    vi.advanceTimersByTime(2_000);
    expect(t.printed()).not.toContain('Two minutes left');
    vi.advanceTimersByTime(1_000);
    expect(t.printed()).toContain('Two minutes left in sketch');
    t.platform.clock?.(thread, clock);
    vi.advanceTimersByTime(3_000);
    expect(t.printed().split('Two minutes left').length - 1).toBe(1);
    t.platform.clock?.(thread, undefined);
    vi.advanceTimersByTime(20_000);
    expect(t.printed()).not.toContain('Never shown');
    expect(t.printed()).not.toContain('left] >');
  });

  it('shows the phase and its time left in the prompt on a TTY, ticking each second', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const start = Date.now();
    const t = terminal({ tty: true });
    const thread = await t.running({
      phase: 'sketch',
      phaseEndsAt: start + (18 * 60 + 42) * 1000,
      roundEndsAt: start + 45 * 60_000,
      notices: [{ at: start + 1_000, card: card('A notice') }],
    });
    expect(t.visible()).toContain('[sketch · 18:42 left] > ');
    t.input.write('half a thought');
    await settle();
    vi.advanceTimersByTime(1_000);
    const after = t.visible();
    expect(after).toContain('A notice');
    // The notice is printed above the prompt, which is drawn again with what was being typed.
    expect(after.slice(after.lastIndexOf('A notice'))).toContain(
      '[sketch · 18:41 left] > half a thought',
    );
    t.input.write(' and the rest\r');
    await vi.waitFor(() =>
      expect(t.commands).toContainEqual(
        expect.objectContaining({ kind: 'reply', text: 'half a thought and the rest' }),
      ),
    );
    t.platform.clock?.(thread, undefined);
    const cleared = t.printed().length;
    vi.advanceTimersByTime(5_000);
    expect(t.visible().slice(cleared)).not.toContain('left] >');
  });

  it('steps around a typed line that wraps over several rows when it prints', async () => {
    const t = terminal({ tty: true, columns: 30 });
    const thread = await t.running({
      phase: 'sketch',
      phaseEndsAt: Date.now() + 600_000,
      roundEndsAt: Date.now() + 1_200_000,
    });
    // 24 columns of prompt and 46 typed: the cursor is on the third row.
    t.input.write('a long line that wraps over the thirty columns');
    await settle();
    const before = t.printed().length;
    await t.platform.post(thread, card('Interviewer speaks', 'interviewer'));
    const printed = t.printed().slice(before);
    expect(printed.startsWith('\u001b[2A\u001b[1G\u001b[0JInterviewer speaks\n\n')).toBe(true);
    const redrawn = printed.slice(printed.indexOf('Interviewer speaks\n\n') + 20);
    expect(redrawn.startsWith('\u001b[1G\u001b[0J[sketch · ')).toBe(true);
    expect(redrawn).toContain(' left] > a long line that wraps over the thirty columns');
  });

  it('counts the time left in the prompt on the round’s clock, as every line of the round does', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const start = Date.now();
    const t = terminal({ tty: true });
    // At MOCKDESIGN_TIME_SCALE=0.5 the 15-minute phase passes in 7.5 minutes of wall time.
    await t.running({
      phase: 'framing',
      phaseEndsAt: start + 7.5 * 60_000,
      roundEndsAt: start + 22.5 * 60_000,
      timeScale: 0.5,
    });
    expect(t.visible()).toContain('[framing · 15:00 left] > ');
    vi.advanceTimersByTime(30_000);
    expect(t.visible()).toContain('[framing · 14:00 left] > ');
  });

  it('takes the prompt off its line at Ctrl-D, so what follows does not start after it', async () => {
    const t = terminal({ tty: true });
    const thread = await t.running({
      phase: 'framing',
      phaseEndsAt: Date.now() + 600_000,
      roundEndsAt: Date.now() + 1_200_000,
    });
    t.input.end();
    await vi.waitFor(() => expect(t.commands.map((c) => c.kind)).toEqual(['end']));
    // Ended at the keyboard: a live end, not a prepared answer.
    expect(t.commands[0]).not.toHaveProperty('prepared');
    await t.platform.post(thread, card('Ending here', 'interviewer'));
    const printed = t.printed();
    const rest = printed.slice(printed.lastIndexOf('left] > ') + 'left] > '.length);
    // Cleared (back to the line's start, then down) or left for a new line, before any text.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
    expect(rest).toMatch(/^(?:\u001b\[\d*[A-Za-z])*(?:\u001b\[1G\u001b\[0J|\n)/);
    expect(rest).toMatch(/Ending here\n\n$/);
  });

  it('shows no prompt and writes no control sequences when only the input is a TTY (output to a log)', async () => {
    const t = terminal({ tty: true, outputTty: false });
    const thread = await t.running({
      phase: 'sketch',
      phaseEndsAt: Date.now() + 60_000,
      roundEndsAt: Date.now() + 120_000,
    });
    t.input.write('an answer\n');
    await vi.waitFor(() => expect(t.commands.map((c) => c.kind)).toEqual(['reply']));
    await t.platform.post(thread, card('Interviewer speaks', 'interviewer'));
    expect(t.printed()).not.toContain('left]');
    expect(t.printed()).not.toContain('\u001b[');
  });

  it('shows no prompt when the input is not a TTY', async () => {
    const t = terminal();
    await t.running({
      phase: 'sketch',
      phaseEndsAt: Date.now() + 60_000,
      roundEndsAt: Date.now() + 120_000,
    });
    expect(t.printed()).not.toContain('left]');
    expect(t.printed()).not.toContain('\u001b[');
  });
});

describe('renderCard', () => {
  const everything: Card = {
    kind: 'scorecard',
    tone: 'good',
    summary: 'Scorecard: 72/100',
    title: 'Scorecard — 72/100 · Hire',
    banner: ['Interviewer · ', { strong: 'Framing' }, ' · 12:00 left'],
    blocks: [
      { type: 'text', lines: [['Say `next` to move on, or ', { code: 'end' }, '.']] },
      { type: 'quote', lines: [['Design a feedback loop.'], ['For *millions* of users.']] },
      { type: 'list', ordered: false, items: [['first point'], ['second point']] },
      { type: 'list', ordered: true, items: [['step one'], ['step two']] },
      {
        type: 'section',
        title: ['███░ 3/4 · ', { strong: 'Scoping' }],
        lines: [
          ['Evidence: ', { quote: 'we need a queue <@U1>', at: '02:05', messageId: 'line-4' }],
          ['Rewrite: ', { quote: 'a queue, because spikes' }],
        ],
      },
      { type: 'note', lines: [['Scored at ', { date: Date.UTC(2026, 11, 3, 14, 5) }]] },
      { type: 'divider' },
    ],
    footer: ['Scored by the heuristic scorer'],
    controls: [{ id: 'next', label: 'Next phase', style: 'primary', onlyFor: [] }],
    notify: { users: ['you'], line: [{ mention: 'you' }, ' your round is ready'] },
  };

  it('prints every block and inline kind as plain text', () => {
    expect(renderCard(everything)).toBe(
      [
        '━━ Scorecard — 72/100 · Hire ━━',
        '[Interviewer · Framing · 12:00 left]',
        '',
        'Say `next` to move on, or end.',
        '',
        '│ Design a feedback loop.',
        '│ For *millions* of users.',
        '',
        '• first point',
        '• second point',
        '',
        '1. step one',
        '2. step two',
        '',
        '███░ 3/4 · Scoping',
        '  Evidence: [02:05] “we need a queue <@U1>”',
        '  Rewrite: “a queue, because spikes”',
        '',
        'Scored at 2026-12-03 14:05 UTC',
        '',
        '─'.repeat(40),
        '',
        'Scored by the heuristic scorer',
        '',
        '@you your round is ready',
      ].join('\n'),
    );
  });

  it("stamps an async round's scorecard quotes with durations, like the rest of its card", () => {
    const card = present({ kind: 'scorecard', scorecard: asyncScorecard() });
    const text = renderCard(card);
    expect(text).toContain(
      '  [19 h 12 min] “A two-stage retriever cuts hallucination by 15% on HaluEval.”',
    );
    expect(text).toContain('  ⚑ Technology first — [2 d 5 h] “We just use Kafka.”');
    expect(text).not.toMatch(/\d+:\d\d/);
  });

  it('wraps each line at word boundaries to a width, continuing it under its own indent', () => {
    const words = (n: number, from = 1) =>
      Array.from({ length: n }, (_, i) => `word${String(i + from).padStart(2, '0')}`).join(' ');
    const wide: Card = {
      kind: 'scorecard',
      tone: 'good',
      summary: 's',
      title: `Scorecard — ${words(6)}`,
      blocks: [
        { type: 'quote', lines: [[words(8)]] },
        { type: 'list', ordered: true, items: [[words(8)]] },
        {
          type: 'section',
          title: ['Improvements'],
          lines: [
            [words(2)],
            ['• ', words(8)],
            ['    Instead of: ', { quote: words(5), at: '01:01' }],
          ],
        },
      ],
      footer: ['Scored by the rule-based scorer'],
      controls: [],
    };
    const text = renderCard(wide, { width: 30 });
    for (const row of text.split('\n')) expect(row.length).toBeLessThanOrEqual(30);
    expect(text).toBe(
      [
        '━━ Scorecard — word01 word02',
        'word03 word04 word05 word06 ━━',
        '',
        '│ word01 word02 word03 word04',
        '│ word05 word06 word07 word08',
        '',
        '1. word01 word02 word03 word04',
        '   word05 word06 word07 word08',
        '',
        'Improvements',
        '  word01 word02',
        '  • word01 word02 word03',
        '    word04 word05 word06',
        '    word07 word08',
        '      Instead of: [01:01]',
        '      “word01 word02 word03',
        '      word04 word05”',
        '',
        'Scored by the rule-based',
        'scorer',
      ].join('\n'),
    );
    // Without a width (output to a file or a pipe) every line stays whole.
    expect(renderCard(wide)).toContain(`│ ${words(8)}`);
  });

  it('wraps what it prints to the terminal’s width, and nothing when the output is not a terminal', async () => {
    const long = card(
      'Design a system to measure and reduce hallucination in a retrieval-augmented generation product.',
    );
    const shown = terminal({ tty: true, columns: 40 });
    await shown.platform.post('terminal:local:0', long);
    expect(shown.visible()).toContain(
      'Design a system to measure and reduce\nhallucination in a retrieval-augmented\ngeneration product.',
    );
    const logged = terminal({ columns: 40 });
    await logged.platform.post('terminal:local:0', long);
    expect(logged.printed()).toBe(
      'Design a system to measure and reduce hallucination in a retrieval-augmented generation product.\n\n',
    );
  });

  it('counts wide characters (CJK, emoji) as two columns when it wraps', () => {
    const text = renderCard(
      {
        ...card('x'),
        blocks: [
          { type: 'quote', lines: [['我们 先 定义 幻觉率 再 设计 对照 实验 和 基线 指标']] },
          { type: 'list', ordered: false, items: [['🚀 ship 🎉 it 👍 now 🔥 fast 😀 done']] },
        ],
      },
      { width: 16 },
    );
    expect(text).toBe(
      [
        '│ 我们 先 定义',
        '│ 幻觉率 再 设计',
        '│ 对照 实验 和',
        '│ 基线 指标',
        '',
        '• 🚀 ship 🎉 it',
        '  👍 now 🔥 fast',
        '  😀 done',
      ].join('\n'),
    );
    for (const row of text.split('\n')) expect(textWidth(row)).toBeLessThanOrEqual(16);
  });

  it('breaks text without spaces between CJK characters, never inside a grapheme nor before closing punctuation', () => {
    const family = '👨\u200d👩\u200d👧';
    const text = renderCard(
      {
        ...card('x'),
        blocks: [
          {
            type: 'text',
            lines: [['仮説：リランカーで幻覚率を十五パーセント下げる。「対照群」は元の検索。']],
          },
          { type: 'text', lines: [[`${family}${family}${family}🇯🇵🇯🇵👍🏽👍🏽`]] },
        ],
      },
      { width: 10 },
    );
    const rows = text.split('\n');
    expect(rows.slice(0, 5)).toEqual([
      '仮説：リラ',
      'ンカーで幻',
      '覚率を十五',
      'パーセント',
      '下げる。',
    ]);
    // An opening bracket stays with what follows it, a closing mark with what comes before.
    expect(rows.slice(5, 8)).toEqual(['「対照群」', 'は元の検', '索。']);
    expect(rows.slice(9)).toEqual([`${family}${family}${family}🇯🇵🇯🇵`, '👍🏽👍🏽']);
    for (const row of rows) expect(textWidth(row)).toBeLessThanOrEqual(10);
  });

  it('adds no markup of its own and shows no controls', () => {
    const plain: Card = {
      ...everything,
      blocks: everything.blocks.filter((b) => b.type !== 'quote' && b.type !== 'section'),
    };
    const text = renderCard(plain);
    expect(text).not.toMatch(/[*_<>]|<@/);
    expect(text).not.toContain('Next phase');
  });

  it('indents every line of a multi-line run and strips terminal control characters', () => {
    const text = renderCard({
      kind: 'notice',
      tone: 'neutral',
      summary: 'x',
      blocks: [
        { type: 'quote', lines: [['one\ntwo']] },
        { type: 'list', ordered: true, items: [['a\nb']] },
        { type: 'text', lines: [[{ quote: 'evil\u001b[2Jtext\u0007', at: '00:00' }]] },
      ],
      controls: [],
    });
    expect(text).toBe('│ one\n│ two\n\n1. a\n   b\n\n[00:00] “evil[2Jtext”');
  });
});

describe('textWidth', () => {
  it.each([
    ['plain ASCII', 'Who are the users?', 18],
    ['ambiguous-width marks, one each', '“█━•⚑✓”', 7],
    ['CJK ideographs and punctuation', '幻觉率。', 8],
    ['kana, and halfwidth kana at one column', 'かなｶﾅ', 6],
    ['Hangul syllables, precomposed or from jamo', '한\u1112\u1161\u11ab', 4],
    ['fullwidth letters', 'ＡＢ', 4],
    ['an emoji', '👍', 2],
    ['an emoji with a skin tone', '👍🏽', 2],
    ['a family joined by zero-width joiners', '👨\u200d👩\u200d👧\u200d👦', 2],
    ['a flag', '🇯🇵', 2],
    ['a keycap', '1\ufe0f\u20e3', 2],
    ['a heart drawn as an emoji, and as text', '\u2764\ufe0f\u2764', 3],
    ['accents that combine with their letter', 'e\u0301a\u0308', 2],
    ['a zero-width space', 'a\u200bb', 2],
    ['nothing', '', 0],
  ])('%s', (_, text, columns) => {
    expect(textWidth(text)).toBe(columns);
  });

  it('splits text into whole graphemes: surrogate pairs and joined emoji stay together', () => {
    const family = '👨\u200d👩\u200d👧';
    expect(graphemes(`a${family}🇯🇵e\u0301中`)).toEqual(['a', family, '🇯🇵', 'e\u0301', '中']);
  });
});
