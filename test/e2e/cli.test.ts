import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { RoundArchive } from '../../adapters/terminal/round-archive.js';
import { reply, startFakeOpenAI } from '../fakes/openai/fake-openai.js';
import { keptRound } from '../integration/archive-writer.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
/** Where the CLI keeps terminal rounds in these tests (never the real user data folder). */
const HOME = await mkdtemp(join(tmpdir(), 'mockdesign-home-'));

/** Runs the `mockdesign` bin as a user would, with `input` piped to stdin. */
function run(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'mockdesign.js'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', MOCKDESIGN_HOME: HOME, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

describe('mockdesign practice', () => {
  it('runs a round from piped stdin, runs typed commands, and scores the piped answer as the whole round at end of input', async () => {
    const input = [
      'I hypothesize that a reranker reduces hallucination rate by 15% on our eval set compared with the baseline.',
      'status',
      'prompts',
      'The control arm has the reranker toggled off; we need 3k questions per arm for 80% power.',
      'next',
    ].join('\n');
    const { code, stdout, stderr } = await run(
      ['practice', '--minutes', '5', '--prompt', 'rag-hallucination-measurement'],
      { input, env: { MOCKDESIGN_TIME_SCALE: '0.01' } },
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Hallucination measurement in RAG/);
    expect(stdout).toMatch(/Type your answers line by line/);
    expect(stdout).toMatch(/Phase 1 of 3: Framing .*\n.*; 1 reply\./);
    expect(stdout).toMatch(/\[Interviewer · Solution sketch · .*\]\n\nFraming window closed/);
    // A prepared answer is not held to the clock: the round is not scored as ended early.
    expect(stdout).toMatch(/That's time — thank you/);
    expect(stdout).not.toMatch(/Ending here|Round ended at/);
    expect(stdout).toMatch(/Scorecard — \d+\/100/);
    expect(stdout).toMatch(/Hypothesis first stated: at 00:\d\d \(in framing\)/);
    expect(stdout).not.toMatch(/“status”/);
    // The library as the terminal starts a round, not as a chat does.
    expect(stdout).toMatch(/Start one with `mockdesign practice --prompt <prompt-id>`/);
    expect(stdout).not.toMatch(/`start random`/);
  });

  it('ends the round once on a typed end, and the end of input after it ends nothing more', async () => {
    const input =
      'I hypothesize that a reranker cuts hallucination by 15% against the baseline.\nend\n';
    const { code, stdout } = await run(['practice', '--minutes', '5'], {
      input,
      env: { MOCKDESIGN_TIME_SCALE: '0.01' },
    });
    expect(code).toBe(0);
    expect(stdout.match(/━━ Scorecard/g)).toHaveLength(1);
    expect(stdout).not.toMatch(/already over/);
  });

  it('stops every command that keeps rounds with one line when MOCKDESIGN_HOME is not a usable folder, before a round starts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mockdesign-home-'));
    const file = join(dir, 'a-file');
    await writeFile(file, 'hi\n');
    // A home whose `rounds` is a file is no better.
    const roundsFile = join(dir, 'home');
    await mkdir(roundsFile);
    await writeFile(join(roundsFile, 'rounds'), '');
    // Every command that keeps or reads rounds, with a file for MOCKDESIGN_HOME; and a home under
    // a file, or with a file for its `rounds`.
    const cases = [
      ...[
        ['history'],
        ['export'],
        ['forget', '--confirm'],
        ['practice', '--minutes', '5', '--prompt', 'adaptive'],
        ['drill', 'hypothesis'],
      ].map((args) => ({ home: file, args })),
      { home: join(file, 'home'), args: ['forget'] },
      { home: roundsFile, args: ['practice', '--minutes', '5'] },
    ];
    const results = await Promise.all(
      cases.map(({ home, args }) =>
        run(args, {
          input:
            'I expect the reranker to cut the hallucination rate by 10% vs the current retriever.',
          env: { MOCKDESIGN_TIME_SCALE: '0.01', MOCKDESIGN_HOME: home },
        }),
      ),
    );
    for (const [i, { code, stdout, stderr }] of results.entries()) {
      const { home, args } = cases[i] as (typeof cases)[number];
      expect([args, code, stdout]).toEqual([args, 1, '']);
      expect(stderr).toMatch(
        new RegExp(
          `^mockdesign: MOCKDESIGN_HOME=${home} is not a folder you can (read|write to) \\(ENOTDIR( at [^)]*)?\\): set it to a folder you can \\1 \\(or unset it for .*mockdesign\\)\n$`,
        ),
      );
    }
    // The file named is left as it was.
    expect(await readFile(file, 'utf8')).toBe('hi\n');
  }, 120_000);

  it('ends an empty round at once when there is no input, with the silent closing', async () => {
    const { code, stdout } = await run(['practice'], { env: { MOCKDESIGN_TIME_SCALE: '0.01' } });
    expect(code).toBe(0);
    expect(stdout).toMatch(/no answers came in/);
    expect(stdout).toMatch(/Scorecard — 0\/100/);
    // Nothing said, nothing kept: it would only pull the trends down.
    expect(stdout).toMatch(/Nothing was said, so this round is not kept\./);
    expect(stdout).not.toMatch(/Kept in /);
  });

  it('keeps a terminal round running through chat commands it cannot run, and takes none of them as an answer', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mockdesign-home-'));
    const env = { MOCKDESIGN_TIME_SCALE: '0.01', MOCKDESIGN_HOME: home };
    const answer = 'I hypothesize that a reranker cuts hallucination by 15% against the baseline.';
    // A round kept before: `forget confirm` typed in the next round must leave it alone.
    expect((await run(['practice', '--minutes', '5'], { input: answer, env })).code).toBe(0);
    const input = [
      answer,
      'forget',
      'forget confirm',
      'history',
      'export',
      'drill risks',
      'remind weekly mon 09:00',
      'challenge',
      'leaderboard off',
      '/mockdesign status',
      '/mockdesign remind off',
      '/mockdesign nonsense',
      'status',
      // Answers that start with a command's word, but are not a command as written.
      'drill down into the per-slice error logs first.',
      'challenge accepted',
      'The control arm keeps the old retriever; 3k questions per arm.',
    ].join('\n');
    const { code, stdout, stderr } = await run(['practice', '--minutes', '5'], { input, env });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(
      '`forget` is not available in a terminal round, and nothing was deleted: after the round, run `mockdesign forget`.',
    );
    expect(stdout.match(/`forget` is not available/g)).toHaveLength(2);
    expect(stdout).toContain(
      '`history` is not available in a terminal round: after the round, run `mockdesign history`.',
    );
    expect(stdout).toContain(
      '`export` is not available in a terminal round: after the round, run `mockdesign export`.',
    );
    expect(stdout).toContain(
      '`drill risks` is not available in a terminal round: after the round, run `mockdesign drill risks`.',
    );
    expect(
      stdout.match(
        /`remind` is not available in the terminal: reminders are sent in Slack and Discord/g,
      ),
    ).toHaveLength(2);
    expect(stdout).toContain(
      '`challenge` is not available in the terminal: team challenges run in Slack and Discord.',
    );
    expect(stdout).toContain(
      '`leaderboard` is not available in the terminal: team challenges run in Slack and Discord.',
    );
    expect(stdout).toMatch(/Unknown command "nonsense"/);
    // `status` typed alone and after `/mockdesign` both run, on the round still running.
    expect(stdout.match(/Phase 1 of 3: Framing/g)).toHaveLength(2);
    expect(stdout).not.toMatch(/no round running|Deleted|turns your reminders off/);
    expect(stdout).toMatch(/Scorecard — \d+\/100/);
    // Only the two answers were taken: no command line is quoted as evidence.
    for (const line of [
      'drill risks',
      'remind weekly mon 09:00',
      '/mockdesign status',
      'leaderboard off',
    ])
      expect(stdout).not.toContain(`“${line}”`);
    expect(stdout).toMatch(/Kept in /);
    const exported = JSON.parse((await run(['export'], { env })).stdout) as {
      messages: { role: string; text: string }[];
    }[];
    // The round kept before is still there, and this one (oldest first) took the answers alone.
    expect(exported).toHaveLength(2);
    expect(exported[1]?.messages.filter((m) => m.role === 'candidate').map((m) => m.text)).toEqual([
      answer,
      'drill down into the per-slice error logs first.',
      'challenge accepted',
      'The control arm keeps the old retriever; 3k questions per arm.',
    ]);
  });

  it('takes every line of a terminal round, whatever MOCKDESIGN_MAX_REPLIES says (a chat limit)', async () => {
    const input = [
      'I hypothesize that a reranker cuts hallucination by 15% against the baseline.',
      'The control arm keeps the old retriever; 3k questions per arm.',
      'status',
    ].join('\n');
    const { code, stdout } = await run(['practice', '--minutes', '5'], {
      input,
      env: { MOCKDESIGN_TIME_SCALE: '0.01', MOCKDESIGN_MAX_REPLIES: '1' },
    });
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/the most one round takes/);
    expect(stdout).toMatch(/; 2 replies\./);
  });

  it('prints its version', async () => {
    const { code, stdout } = await run(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^mockdesign \d+\.\d+\.\d+\n$/);
  });

  it('prints its usage for --help after any command, naming the special prompts', async () => {
    const { code, stdout } = await run(['practice', '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^mockdesign — /);
    expect(stdout).toMatch(/ID may be random, or adaptive/);
  });

  it('refuses an unknown prompt or a round length out of range, and exits non-zero', async () => {
    const unknown = await run(['practice', '--prompt', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^mockdesign: Unknown prompt "nope"/);
    const long = await run(['practice', '--minutes', '300']);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/from 5 to 240 minutes; 300 is out of range/);
    expect(long.stdout).toBe('');
  });

  it('gives a negative round length the same range message as any other', async () => {
    for (const args of [['--minutes', '-5'], ['--minutes=-5']]) {
      const { code, stdout, stderr } = await run(['practice', ...args]);
      expect([code, stdout, stderr]).toEqual([
        2,
        '',
        'mockdesign: A round lasts from 5 to 240 minutes; -5 is out of range. Try `--minutes 45`.\n',
      ]);
    }
  });

  it('stops at start with the name of a bad environment variable', async () => {
    const { code, stderr } = await run(['practice'], { env: { MOCKDESIGN_TIME_SCALE: 'fast' } });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'mockdesign: MOCKDESIGN_TIME_SCALE must be a number from 0.0001 to 1000, got "fast"',
    );
  });
});

describe('mockdesign prompts', () => {
  it('names the variable a rubric or prompt folder that cannot be read came from, and how to fix it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mockdesign-library-'));
    const file = join(dir, 'a-file');
    await writeFile(file, '');
    const missing = join(dir, 'nonexistent');
    const cases: [Record<string, string>, string][] = [
      [
        { MOCKDESIGN_PROMPTS_DIR: missing },
        `MOCKDESIGN_PROMPTS_DIR=${missing}: no such folder; set it to a folder of prompt files, or unset it for the shipped prompts alone`,
      ],
      [
        { MOCKDESIGN_RUBRIC_DIR: missing },
        `MOCKDESIGN_RUBRIC_DIR=${missing}: no such folder; set it to a folder holding rubric.yaml, or unset it for the shipped rubric`,
      ],
      [
        { MOCKDESIGN_RUBRIC_DIR: file },
        `MOCKDESIGN_RUBRIC_DIR=${file}: not a folder; set it to a folder holding rubric.yaml, or unset it for the shipped rubric`,
      ],
      [
        { MOCKDESIGN_RUBRIC_DIR: dir },
        `MOCKDESIGN_RUBRIC_DIR=${dir}: no rubric.yaml found (expected rubric.yaml, rubric.yml or rubric.json); set it to a folder holding rubric.yaml, or unset it for the shipped rubric`,
      ],
    ];
    const results = await Promise.all(cases.map(([env]) => run(['prompts'], { env })));
    for (const [i, { code, stdout, stderr }] of results.entries()) {
      expect([code, stdout, stderr]).toEqual([1, '', `mockdesign: ${cases[i]?.[1]}\n`]);
    }
  });
});

describe('mockdesign score', () => {
  it('prints the scorecard as JSON', async () => {
    const { code, stdout } = await run(['score', join(FIXTURES, 'strong-round.json'), '--json']);
    expect(code).toBe(0);
    const card = JSON.parse(stdout);
    expect(card.overall).toBeGreaterThanOrEqual(0);
    expect(card.overall).toBeLessThanOrEqual(100);
    expect(card.engine).toMatchObject({ name: 'heuristic' });
    expect(card.criteria.map((c: { id: string }) => c.id)).toEqual([
      'hypothesis',
      'experimental_design',
      'scalability',
      'risk',
      'communication',
    ]);
    for (const c of card.criteria)
      expect(c).toMatchObject({
        weight: expect.any(Number),
        level: expect.any(Number),
        evidence: expect.any(Array),
      });
    expect(Array.isArray(card.flags)).toBe(true);
    expect(card.drill).toBeUndefined();
  });

  it('says in the JSON of a drill which drill it is and the criterion it is judged on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mockdesign-drill-'));
    const file = join(dir, 'drill.json');
    await writeFile(
      file,
      JSON.stringify({
        prompt: 'Design a platform for measuring hallucination in RAG systems.',
        minutes: 2,
        drill: 'hypothesis',
        messages: [
          {
            role: 'candidate',
            at: 30,
            text: 'I hypothesize that a reranker cuts the unsupported-claim rate from 12% to 9% against the current retriever.',
          },
        ],
      }),
    );
    const { code, stdout } = await run(['score', file, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).drill).toEqual({
      kind: 'hypothesis',
      name: 'Hypothesis drill',
      criterion: 'hypothesis',
    });
  });

  it('explains a malformed transcript in one line naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mockdesign-cli-'));
    const broken = join(dir, 'broken.json');
    await writeFile(
      broken,
      JSON.stringify({ prompt: 'p', minutes: 45, messages: [{ role: 'judge', at: 1, text: 'x' }] }),
    );
    const bad = await run(['score', broken, '--json']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(new RegExp(`^mockdesign: ${broken}: at messages\\.0\\.role: `));
    expect(bad.stdout).toBe('');
    // Clock times where seconds from the start belong.
    const clocked = join(dir, 'clocked.json');
    await writeFile(
      clocked,
      JSON.stringify({
        prompt: 'p',
        minutes: 45,
        messages: [{ role: 'candidate', at: 1_733_400_000, text: 'I expect fewer errors.' }],
      }),
    );
    const late = await run(['score', clocked]);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(
      /clocked\.json: at messages\.0\.at: 1733400000 seconds is far past the end of a 45-minute round; `at` counts seconds from the start/,
    );
    const notJson = join(dir, 'not.json');
    await writeFile(notJson, '{ "prompt": ');
    expect((await run(['score', notJson])).stderr).toMatch(/not valid JSON/);
    // An export with a round where nothing was said: that round is left out, the rest scored.
    const exported = join(dir, 'export.json');
    const strong = JSON.parse(await readFile(join(FIXTURES, 'strong-round.json'), 'utf8'));
    await writeFile(exported, JSON.stringify([{ ...strong, messages: [] }, strong]));
    const partly = await run(['score', exported, '--json']);
    expect(partly.code).toBe(0);
    expect(partly.stderr).toBe(
      `mockdesign: ${exported} at [0]: has no candidate messages, so it is not scored.\n`,
    );
    // An export gives an array of scorecards, however many rounds are left.
    expect(JSON.parse(partly.stdout)).toEqual([
      expect.objectContaining({ overall: expect.any(Number) }),
    ]);
  });

  it('reads a transcript saved with a byte-order mark, and says plainly what is wrong with a file that is not one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mockdesign-cli-'));
    const strong = await readFile(join(FIXTURES, 'strong-round.json'), 'utf8');
    const bom = join(dir, 'bom.json');
    await writeFile(bom, `\ufeff${strong}`);
    const scored = await run(['score', bom, '--json']);
    expect([scored.code, scored.stderr]).toEqual([0, '']);
    expect(JSON.parse(scored.stdout).overall).toEqual(expect.any(Number));
    const missing = join(dir, 'missing.json');
    const binary = join(dir, 'image.png');
    await writeFile(
      binary,
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x1b]),
    );
    const utf16 = join(dir, 'utf16.json');
    await writeFile(utf16, Buffer.from(`\ufeff${strong}`, 'utf16le'));
    const cases: [string, string][] = [
      [missing, `no such file: ${missing}`],
      [
        utf16,
        `${utf16}: saved as UTF-16; save it as UTF-8. A transcript is JSON: { "prompt", "minutes", "messages": [{ "role", "at", "text" }] }.`,
      ],
      [dir, `${dir} is a folder, not a transcript file`],
      [
        binary,
        `${binary}: not a transcript: it is not text. A transcript is JSON: { "prompt", "minutes", "messages": [{ "role", "at", "text" }] }.`,
      ],
    ];
    const results = await Promise.all(cases.map(([file]) => run(['score', file])));
    for (const [i, { code, stdout, stderr }] of results.entries()) {
      expect([code, stdout, stderr]).toEqual([1, '', `mockdesign: ${cases[i]?.[1]}\n`]);
    }
  });

  it('scores with the LLM judge at OPENAI_BASE_URL and names the engine', async () => {
    const fake = await startFakeOpenAI();
    const quote = 'I hypothesize that filtering low-agreement feedback before each training round';
    const ids = ['hypothesis', 'experimental_design', 'scalability', 'risk', 'communication'];
    fake.script(
      reply.json({
        criteria: ids.map((id) => ({
          id,
          evidence: [{ turn: 1, quote }],
          rationale: `${id} judged.`,
          level: 3,
        })),
        flags: [],
        improvements: [{ text: 'State the effect size first.', before: null, after: null }],
        injection_detected: false,
      }),
    );
    try {
      const env = {
        OPENAI_API_KEY: 'test',
        OPENAI_BASE_URL: fake.baseURL,
        MOCKDESIGN_MODEL: 'judge',
      };
      const { code, stdout } = await run(
        ['score', join(FIXTURES, 'strong-round.json'), '--json', '--engine', 'llm'],
        { env },
      );
      expect(code).toBe(0);
      const card = JSON.parse(stdout);
      expect(card.engine).toEqual({ name: 'llm', model: 'judge', tokens: expect.any(Number) });
      expect(card.overall).toBe(75);
      expect(card.criteria[0].evidence[0]).toMatchObject({ quote, at: 40 });
      expect(fake.requests).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });

  it('refuses --engine llm without an API key', async () => {
    const { code, stderr } = await run([
      'score',
      join(FIXTURES, 'strong-round.json'),
      '--engine',
      'llm',
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--engine llm needs OPENAI_API_KEY/);
  });
});

describe('the terminal practice loop', () => {
  it('keeps rounds across runs, shows their history with a chart, and exports what score reads', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mockdesign-loop-'));
    const env = { MOCKDESIGN_TIME_SCALE: '0.01', MOCKDESIGN_HOME: home };
    const answers = [
      'I would use Kafka because I know it.',
      'I hypothesize that a reranker cuts the hallucination rate by 15% against the current retriever; control arm without it, treatment with it, 3k questions per arm.',
    ];
    for (const input of answers) {
      const played = await run(['practice', '--minutes', '5'], { input, env });
      expect(played.code).toBe(0);
      // The card's headline again under it, where the round ends.
      expect(played.stdout).toMatch(
        /\nScorecard — \d+\/100[^\n]*\nKept in .*\.round\.json \(see `mockdesign history`\)/,
      );
    }
    const drill = await run(['drill', 'hypothesis'], {
      input: 'I hypothesize that gold audits cut label error by 10% against vendor QA.',
      env,
    });
    expect(drill.stdout).toMatch(/Hypothesis drill — \d\/4 · Hypothesis definition/);
    expect(drill.stdout).toMatch(/\nHypothesis drill — \d\/4 · Hypothesis definition\nKept in /);
    expect((await run(['drill', 'design'], { env })).stderr).toMatch(/"design" is not one/);
    // A drill has its own length and prompt: options for them are refused, not ignored.
    const sized = await run(['drill', 'risks', '--minutes', '30'], { env });
    expect([sized.code, sized.stderr]).toEqual([
      2,
      "mockdesign: drill: Unknown option '--minutes'. Run `mockdesign help` for usage.\n",
    ]);
    const chart = join(home, 'progress.png');
    const history = await run(['history', '--chart', chart], { env });
    expect(history.code).toBe(0);
    expect(history.stdout).toMatch(/Your last 3 rounds/);
    expect(history.stdout).toMatch(/\(2 minutes\): Hypothesis drill — Hypothesis definition \d\/4/);
    expect(
      history.stdout.match(
        /\d+\/100 .* — Hypothesis \d · Experimental \d · Scalability \d · Risk \d · Communication \d/g,
      ),
    ).toHaveLength(2);
    // Two scored rounds (the drill is left out): nothing before them to compare with yet.
    expect(history.stdout).toMatch(/Trend — last 2 scored rounds\n/);
    expect(history.stdout).toContain(`Chart written to ${chart}.`);
    const nowhere = await run(['history', '--chart', join(home, 'no-such-folder', 'c.png')], {
      env,
    });
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(
      /^mockdesign: --chart: cannot write .*c\.png \(ENOENT\); is its folder there\?\n$/,
    );
    const png = decode(await readFile(chart));
    expect([png.width, png.height]).toEqual([960, 540]);

    const exported = await run(['export'], { env });
    expect(exported.code).toBe(0);
    const rounds = JSON.parse(exported.stdout) as { scorecard: { overall: number } }[];
    expect(rounds).toHaveLength(3);
    const file = join(home, 'export.json');
    expect((await run(['export', '--out', file], { env })).stderr).toMatch(/3 rounds written to/);
    const lost = await run(['export', '--out', join(home, 'no-such-folder', 'x.json')], { env });
    expect(lost.code).toBe(1);
    expect(lost.stderr).toMatch(/^mockdesign: --out: cannot write .*x\.json \(ENOENT\)/);
    const rescored = await run(['score', file, '--json'], { env });
    expect(rescored.code).toBe(0);
    expect((JSON.parse(rescored.stdout) as { overall: number }[]).map((c) => c.overall)).toEqual(
      rounds.map((r) => r.scorecard.overall),
    );
    // The drill is exported as one, and scored again as one: its own criterion alone.
    expect(rounds.map((r) => (r as { drill?: string }).drill)).toEqual([
      undefined,
      undefined,
      'hypothesis',
    ]);
    // `--prompt adaptive` reads the rounds kept here, not an empty history.
    const aimed = await run(['practice', '--minutes', '5', '--prompt', 'adaptive'], { env });
    expect(aimed.code).toBe(0);
    expect(aimed.stdout).toMatch(
      /Picked for your weakest criterion, .* over the last 2 scored rounds/,
    );
    expect(aimed.stdout).not.toMatch(/Picked at random/);
    const cards = (await run(['score', file], { env })).stdout;
    expect(cards.match(/━━ Scorecard/g)).toHaveLength(2);
    expect(cards).toMatch(/Hypothesis drill — \d\/4 · Hypothesis definition/);

    expect((await run(['forget'], { env })).stdout).toMatch(/--confirm deletes your 3 kept rounds/);
    expect((await run(['forget', '--confirm'], { env })).stdout).toBe('Deleted 3 kept rounds.\n');
    // The terminal's own commands, not the chat's `start`.
    expect((await run(['history'], { env })).stdout).toMatch(
      /No rounds yet\. Start one with `mockdesign practice`/,
    );
    const empty = join(home, 'empty.png');
    expect((await run(['history', '--chart', empty], { env })).stdout).toMatch(
      /^No rounds yet, so no chart was written\./,
    );
    await expect(readFile(empty)).rejects.toThrow(/ENOENT/);
    // Some twenty CLI processes, each starting TypeScript afresh: a minute is tight on a busy machine.
  }, 180_000);

  it('forgets exactly the kept rounds it counted, and leaves every other file in the folder', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mockdesign-forget-'));
    const env = { MOCKDESIGN_HOME: home };
    const archive = new RoundArchive(home);
    await archive.save(keptRound(1, 5));
    await archive.save(keptRound(2, 5));
    await writeFile(join(archive.dir, 'my-notes.txt'), 'my notes\n');
    const damaged = join(archive.dir, 'x.round.json');
    await writeFile(damaged, '{"version":1,"round":{"id":');
    const preview = await run(['forget'], { env });
    expect(preview.stdout).toMatch(/--confirm deletes your 2 kept rounds/);
    const forgot = await run(['forget', '--confirm'], { env });
    expect(forgot.code).toBe(0);
    expect(forgot.stdout).toBe('Deleted 2 kept rounds.\n');
    expect((await readdir(archive.dir)).sort()).toEqual(['my-notes.txt', 'x.round.json']);
    expect(forgot.stderr).toBe(
      `mockdesign: skipped ${damaged}: not a readable round, so it is left there\n`,
    );
    expect(await readFile(join(archive.dir, 'my-notes.txt'), 'utf8')).toBe('my notes\n');
  });
});

describe('mockdesign forget, confirmed as a chat confirms', () => {
  it('points `forget confirm` at --confirm, and deletes nothing', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mockdesign-confirm-'));
    await new RoundArchive(home).save(keptRound(1, 5));
    const { code, stdout, stderr } = await run(['forget', 'confirm'], {
      env: { MOCKDESIGN_HOME: home },
    });
    expect([code, stdout, stderr]).toEqual([
      2,
      '',
      'mockdesign: forget: in a terminal, confirm with `mockdesign forget --confirm` (`mockdesign forget` says what it deletes).\n',
    ]);
    expect((await new RoundArchive(home).list()).rounds).toHaveLength(1);
  });
});

describe('mockdesign output files that cannot be written', () => {
  it('says a folder named as the file is a folder, instead of asking whether its folder is there', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mockdesign-out-'));
    const folder = join(home, 'progress.png');
    await mkdir(folder);
    await new RoundArchive(home).save(keptRound(1, 5));
    const [chart, out] = await Promise.all([
      run(['history', '--chart', folder], { env: { MOCKDESIGN_HOME: home } }),
      run(['export', '--out', folder], { env: { MOCKDESIGN_HOME: home } }),
    ]);
    expect([chart.code, chart.stderr]).toEqual([
      1,
      `mockdesign: --chart: cannot write ${folder} (EISDIR): it is a folder; name a file in it\n`,
    ]);
    expect([out.code, out.stderr]).toEqual([
      1,
      `mockdesign: --out: cannot write ${folder} (EISDIR): it is a folder; name a file in it\n`,
    ]);
  });
});

describe('mockdesign score at a terminal', () => {
  it('wraps the scorecard to the terminal at word boundaries, and leaves piped output whole', async () => {
    const strong = join(FIXTURES, 'strong-round.json');
    // A real terminal of 60 columns (util-linux `script` gives the command a pseudo-terminal).
    const shown = await new Promise<string>((resolve) => {
      const command = `stty cols 60; exec ${process.execPath} bin/mockdesign.js score ${strong}`;
      const child = spawn('script', ['-qec', command, '/dev/null'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', MOCKDESIGN_HOME: HOME },
      });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.on('close', () => resolve(text));
      child.stdin.end();
    });
    const rows = shown.replace(/\r/g, '').trimEnd().split('\n');
    expect(rows.length).toBeGreaterThan(40);
    for (const row of rows) expect([...row].length).toBeLessThanOrEqual(60);
    expect(rows).toContain('  [00:40] “I hypothesize that filtering low-agreement');
    const piped = await run(['score', strong]);
    expect(piped.stdout).toContain(
      '  [00:40] “I hypothesize that filtering low-agreement feedback before each training round reduces sycophancy rate by 20% on our held-out sycophancy benchmark compared with the unfiltered baseline.”',
    );
  });
});

describe('mockdesign practice into a reader that stops early', () => {
  it('finishes and keeps the round, with no stack trace, when its output pipe is closed (`| head`)', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mockdesign-pipe-'));
    const env = {
      PATH: process.env.PATH ?? '',
      MOCKDESIGN_HOME: home,
      MOCKDESIGN_TIME_SCALE: '0.01',
    };
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'mockdesign.js'), 'practice', '--minutes', '5'],
      { cwd: ROOT, env },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Like `head -1`: the first output read, then the pipe closed; the answers come after.
    child.stdout.once('data', () => {
      child.stdout.destroy();
      child.stdin.end(
        'I hypothesize that a reranker cuts hallucination by 15% against the baseline.\n',
      );
    });
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect([code, stderr]).toEqual([0, '']);
    const exported = JSON.parse((await run(['export'], { env: { MOCKDESIGN_HOME: home } })).stdout);
    expect(exported).toHaveLength(1);
  });
});

describe('a drill card in the terminal', () => {
  it('promises no `history` for a drill that is not kept, or for a drill file scored again', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mockdesign-drill-'));
    const env = { MOCKDESIGN_TIME_SCALE: '0.01', MOCKDESIGN_HOME: home };
    const file = join(home, 'drill.json');
    await writeFile(
      file,
      JSON.stringify({
        prompt: 'Design a platform for measuring hallucination in RAG systems.',
        minutes: 2,
        drill: 'hypothesis',
        messages: [
          { role: 'candidate', at: 30, text: 'I hypothesize a reranker cuts errors by 3%.' },
        ],
      }),
    );
    const [silent, scored] = await Promise.all([
      run(['drill', 'risks'], { env }),
      run(['score', file], { env }),
    ]);
    expect(silent.stdout).toMatch(/━━ Risks drill — 0\/4/);
    expect(silent.stdout).toMatch(/Nothing was said, so this round is not kept\./);
    expect(scored.stdout).toMatch(/━━ Hypothesis drill — \d\/4/);
    for (const { stdout } of [silent, scored]) {
      expect(stdout).toMatch(/Scored by the rule-based scorer\n/);
      expect(stdout).not.toMatch(/kept in your/);
    }
  });
});

describe('mockdesign score, on the files a person has at hand', () => {
  it('scores the file a terminal round was kept in, and says an empty file or one where nothing was said has nothing to score', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mockdesign-kept-'));
    const env = { MOCKDESIGN_TIME_SCALE: '0.01', MOCKDESIGN_HOME: home };
    const played = await run(['practice', '--minutes', '5'], {
      input: 'I hypothesize that a reranker cuts hallucination by 15% against the baseline.',
      env,
    });
    const kept = /Kept in (.*\.round\.json) /.exec(played.stdout)?.[1] as string;
    const rescored = await run(['score', kept, '--json'], { env });
    expect([rescored.code, rescored.stderr]).toEqual([0, '']);
    const exported = JSON.parse((await run(['export'], { env })).stdout) as {
      scorecard: { overall: number };
    }[];
    expect(JSON.parse(rescored.stdout).overall).toBe(exported[0]?.scorecard.overall);
    const blank = join(home, 'blank.json');
    await writeFile(
      blank,
      JSON.stringify({
        prompt: 'p',
        minutes: 45,
        messages: [{ role: 'candidate', at: 5, text: ' \n ' }],
      }),
    );
    expect(await run(['score', blank], { env })).toEqual({
      code: 1,
      stdout: '',
      stderr: `mockdesign: ${blank}: has no candidate messages, so there is nothing to score.\n`,
    });
    const empty = join(home, 'empty.json');
    await writeFile(empty, '');
    expect((await run(['score', empty], { env })).stderr).toBe(
      `mockdesign: ${empty}: the file is empty. A transcript is JSON: { "prompt", "minutes", "messages": [{ "role", "at", "text" }] }.\n`,
    );
  });
});

describe('mockdesign options without a value', () => {
  it('says which option needs a value, whether it is last, followed by another, or given empty', async () => {
    const cases: [string[], string][] = [
      [['practice', '--minutes'], 'practice: --minutes needs a value'],
      [['practice', '--prompt', '--minutes', '5'], 'practice: --prompt needs a value'],
      [['export', '--out'], 'export: --out needs a value'],
      [['export', '--out='], 'export: --out needs a value'],
      [['history', '--chart='], 'history: --chart needs a value'],
      [['score', join(FIXTURES, 'strong-round.json'), '--engine'], 'score: --engine needs a value'],
    ];
    const results = await Promise.all(cases.map(([args]) => run(args)));
    for (const [i, { code, stdout, stderr }] of results.entries()) {
      expect([code, stdout, stderr]).toEqual([
        2,
        '',
        `mockdesign: ${cases[i]?.[1]}. Run \`mockdesign help\` for usage.\n`,
      ]);
    }
  });
});

describe('mockdesign forget and export, counted', () => {
  it('counts one kept round as one, and says so plainly when there is none to delete', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mockdesign-count-'));
    const env = { MOCKDESIGN_HOME: home };
    const none = await run(['forget'], { env });
    expect([none.code, none.stdout]).toEqual([
      0,
      `You have no kept rounds in ${join(home, 'rounds')}, so there is nothing to delete.\n`,
    ]);
    await new RoundArchive(home).save(keptRound(1, 5));
    const file = join(home, 'one.json');
    const [preview, exported] = await Promise.all([
      run(['forget'], { env }),
      run(['export', '--out', file], { env }),
    ]);
    expect(preview.stdout).toBe(
      `mockdesign forget --confirm deletes your 1 kept round in ${join(home, 'rounds')}.\n`,
    );
    expect(exported.stderr).toBe(`mockdesign: 1 round written to ${file}\n`);
    expect((await run(['forget', '--confirm'], { env })).stdout).toBe('Deleted 1 kept round.\n');
  });
});
