import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PROMPTS_DIR,
  DEFAULT_RUBRIC_DIR,
  loadLibrary,
  loadPrompts,
  loadRubric,
} from '../../rubric/load.js';
import { RubricError } from '../../src/errors.js';

const shippedRubric = () => readFile(join(DEFAULT_RUBRIC_DIR, 'rubric.yaml'), 'utf8');

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mockdesign-rubric-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const PROMPT = `id: my-prompt
title: My prompt
prompt: Design an eval harness.
context: Ten thousand prompts a day.
pivot: The budget halves.
probes: [What would change your mind?]
`;

describe('the shipped rubric and prompt library', () => {
  it('loads with the five weighted criteria, five red flags and at least 12 prompts', async () => {
    const { rubric, prompts } = await loadLibrary();
    expect(rubric.criteria.map((c) => [c.id, c.weight])).toEqual([
      ['hypothesis', 30],
      ['experimental_design', 25],
      ['scalability', 20],
      ['risk', 15],
      ['communication', 10],
    ]);
    expect(rubric.flags.map((f) => f.id).sort()).toEqual([
      'defensive_pivot',
      'engineering_first',
      'framing_spent_on_api_design',
      'no_hypothesis_in_framing',
      'tech_without_hypothesis',
    ]);
    expect(rubric.phases.map((p) => [p.id, p.minutes])).toEqual([
      ['framing', 15],
      ['sketch', 20],
      ['deep_dive', 10],
    ]);
    expect(prompts.size).toBeGreaterThanOrEqual(12);
    expect(prompts.get('alignment-feedback-loops')?.prompt).toMatch(/alignment-feedback loops/);
  });

  it('loads every shipped prompt file on its own', async () => {
    const prompts = await loadPrompts(DEFAULT_PROMPTS_DIR);
    expect(prompts.length).toBeGreaterThanOrEqual(12);
    for (const p of prompts) expect(p.probes.length).toBeGreaterThan(0);
  });

  it('gives every shipped prompt a reference answer with a sized hypothesis and its threats', async () => {
    for (const p of await loadPrompts(DEFAULT_PROMPTS_DIR)) {
      expect(p.reference, p.id).toBeDefined();
      expect(p.reference?.hypothesis, p.id).toMatch(/\d/);
      expect(p.reference?.scale, p.id).toMatch(/\d/);
      expect(p.reference?.threats.length, p.id).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('a broken rubric or prompt file', () => {
  const cases: [string, (rubric: string) => string, RegExp][] = [
    ['invalid YAML', () => 'id: [unclosed', /rubric\.yaml: not valid YAML/],
    ['a missing field', (r) => r.replace(/^closing:[\s\S]*$/m, ''), /rubric\.yaml: at closing: /],
    [
      'one closing line instead of three',
      (r) => r.replace(/^closing:[\s\S]*$/m, 'closing: "That\'s time."'),
      /at closing: give the closing lines as \{ time, early, silent \}/,
    ],
    [
      'a cue called score, which would stop scorecards',
      (r) => r.replace('id: pivot', 'id: score'),
      /at events\.1\.id: is reserved for the round's own events/,
    ],
    [
      'a cue whose id looks like a phase opening',
      (r) => r.replace('id: pivot', 'id: phase-pivot'),
      /at events\.1\.id: is reserved/,
    ],
    [
      'a wrong type',
      (r) => r.replace('minutes: 45', 'minutes: forty-five'),
      /rubric\.yaml: at minutes: .*number/,
    ],
    [
      'weights that do not sum to 100',
      (r) => r.replace('weight: 30', 'weight: 35'),
      /at criteria: criterion weights must sum to 100, they sum to 105/,
    ],
    [
      'phases that do not fill the round',
      (r) => r.replace('minutes: 15', 'minutes: 16'),
      /at phases: phase minutes must sum to the round's 45 minutes, they sum to 46/,
    ],
    [
      'four level descriptors',
      (r) => r.replace(/\n {6}- "Absent: no hypothesis[^\n]*/, ''),
      /at criteria\.0\.levels: give exactly five level descriptors/,
    ],
    [
      'an event in an unknown phase',
      (r) => r.replace('phase: sketch\n    when: always', 'phase: sketching\n    when: always'),
      /at events\.1\.phase: unknown phase "sketching"/,
    ],
    [
      'a duplicate id',
      (r) => r.replace('id: risk', 'id: scalability'),
      /at criteria\.3\.id: duplicate id "scalability"/,
    ],
    [
      'quiet hours that are not times of day',
      (r) => r.replace('from: "22:00"', 'from: "10pm"'),
      /at nudge\.quietHours\.from: write a time of day as HH:MM on a 24-hour clock, e\.g\. "22:00"/,
    ],
    [
      'an unknown key',
      (r) => r.replace('closing:', 'closeing: x\nclosing:'),
      /at \(top level\): .*closeing/,
    ],
  ];
  for (const [name, mutate, message] of cases) {
    it(`names the file, the path and the problem for ${name}`, async () => {
      const dir = await folder({ 'rubric.yaml': mutate(await shippedRubric()) });
      const error = await loadRubric(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RubricError);
      expect((error as Error).message).toMatch(message);
    });
  }

  it('loads a rubric written before quiet hours with the night from 22:00 to 08:00', async () => {
    const before = (await shippedRubric()).replace(/\n {2}quietHours:[^\n]*(\n {4}[^\n]*)*/, '');
    expect(before).not.toMatch(/quietHours/);
    const rubric = await loadRubric(await folder({ 'rubric.yaml': before }));
    expect(rubric.nudge.quietHours).toEqual({ from: '22:00', until: '08:00' });
  });

  it('reports a folder without rubric.yaml', async () => {
    const dir = await folder({});
    await expect(loadRubric(dir)).rejects.toThrow(/no rubric\.yaml found/);
  });

  it('reports a prompt whose id does not match its file name', async () => {
    const dir = await folder({ 'other-name.yaml': PROMPT });
    await expect(loadPrompts(dir)).rejects.toThrow(
      /other-name\.yaml: at id: "my-prompt" must match the file name "other-name"/,
    );
  });

  it('reports a prompt with no probes and broken JSON', async () => {
    const noProbes = await folder({
      'my-prompt.yaml': PROMPT.replace('probes: [What would change your mind?]', 'probes: []'),
    });
    await expect(loadPrompts(noProbes)).rejects.toThrow(/my-prompt\.yaml: at probes: /);
    const json = await folder({ 'my-prompt.json': '{"id": ' });
    await expect(loadPrompts(json)).rejects.toThrow(/my-prompt\.json: not valid JSON/);
  });

  it("loads the README's example prompt file as written", async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const example = /```yaml\n(id: eval-harness-latency\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const [prompt] = await loadPrompts(
      await folder({ 'eval-harness-latency.yaml': example ?? '' }),
    );
    expect(prompt?.reference?.threats[0]).toMatch(/^Noisy neighbours on shared GPUs: pin/);
  });

  it('says to quote a line of text that YAML reads as a key and a value', async () => {
    const dir = await folder({
      'my-prompt.yaml': PROMPT.replace(
        '[What would change your mind?]',
        '\n  - Budget: what would you cut first?',
      ),
    });
    await expect(loadPrompts(dir)).rejects.toThrow(
      /my-prompt\.yaml: at probes\.0: .*\(a line with ": " in it is read as a key and a value: put the line in quotes\)$/,
    );
  });

  it('adds a team prompt folder to the library, and uses a team rubric folder', async () => {
    const prompts = await folder({ 'my-prompt.yaml': PROMPT });
    const rubricDir = await folder({
      'rubric.yaml': (await shippedRubric()).replace('id: research-first', 'id: team-rubric'),
    });
    await mkdir(join(rubricDir, 'unused'), { recursive: true });
    const library = await loadLibrary({ rubricDir, promptsDir: prompts });
    expect(library.rubric.id).toBe('team-rubric');
    expect(library.prompts.get('my-prompt')?.title).toBe('My prompt');
    expect(library.prompts.has('alignment-feedback-loops')).toBe(true);
  });
});
