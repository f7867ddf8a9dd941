/** `npm run eval:scorer -- --engine llm` against a local OpenAI-compatible server. */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CORPUS_DIR, everyTranscript, loadCorpus } from '../../eval/corpus.js';
import { loadLibrary } from '../../rubric/load.js';
import { type ChatRequestBody, reply, startFakeOpenAI } from '../fakes/openai/fake-openai.js';

const ROOT = join(import.meta.dirname, '..', '..');

const readJson = async (path: string): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(path, 'utf8'));

/**
 * A corpus laid out as eval/labelled/, cut from it: a dozen development transcripts, and the first
 * 40 of the first held-out part and of the newest (what the eval judges the targets on), with
 * their labels, writing styles and both annotators' labels. The whole corpus scored through the
 * judge three times takes minutes; what the evaluation does with each part is the same.
 */
async function smallCorpus(dir: string): Promise<void> {
  const corpus = await loadCorpus();
  const first = corpus.parts[0];
  const newest = corpus.parts.at(-1);
  if (!first || !newest) throw new Error('eval/labelled has no held-out part');
  const ids = (items: readonly { file: string }[], n: number) =>
    items.slice(0, n).map((t) => t.file);
  const heldOut = ids(first.items, 40);
  const latest = ids(newest.items, 40);
  const chosen = [...ids(corpus.development, 12), ...heldOut, ...latest];
  const pick = (all: Record<string, unknown>) =>
    Object.fromEntries(chosen.filter((id) => id in all).map((id) => [id, all[id]]));
  for (const sub of ['transcripts', 'writers', 'annotations']) await mkdir(join(dir, sub));
  for (const id of chosen) {
    await copyFile(
      join(CORPUS_DIR, 'transcripts', `${id}.json`),
      join(dir, 'transcripts', `${id}.json`),
    );
  }
  await writeFile(
    join(dir, 'labels.json'),
    JSON.stringify(pick(await readJson(join(CORPUS_DIR, 'labels.json')))),
  );
  await writeFile(
    join(dir, 'split.json'),
    JSON.stringify({
      rule: first.rule,
      heldOut,
      [newest.name]: { rule: newest.rule, heldOut: latest },
    }),
  );
  const styles: Record<string, unknown> = {};
  for (const file of await readdir(join(CORPUS_DIR, 'writers'))) {
    Object.assign(styles, await readJson(join(CORPUS_DIR, 'writers', file)));
  }
  await writeFile(join(dir, 'writers', 'writers.json'), JSON.stringify(pick(styles)));
  for (const [who, labels] of Object.entries(corpus.annotators)) {
    await writeFile(
      join(dir, 'annotations', `${who}-small.json`),
      JSON.stringify(pick(Object.fromEntries(labels))),
    );
  }
}

/** A judgement at level 2 everywhere, quoting the opening words of the first candidate turn. */
function judgementFrom(body: ChatRequestBody, criteria: readonly string[]) {
  const user = body.messages[1]?.content ?? '';
  const first = user
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { speaker: string; turn?: number; text: string })
    .find((l) => l.speaker === 'candidate');
  const quote = (first?.text ?? '').split(/\s+/).slice(0, 6).join(' ');
  return reply.json({
    criteria: criteria.map((id) => ({
      id,
      evidence: [{ turn: 1, quote }],
      rationale: `${id} meets the level 2 descriptor.`,
      level: 2,
    })),
    flags: [],
    improvements: [],
    injection_detected: false,
  });
}

describe('the scorer evaluation with the LLM engine', () => {
  it('scores every part through the judge and prints agreement and tokens per scorecard', async () => {
    const fake = await startFakeOpenAI();
    const dir = await mkdtemp(join(tmpdir(), 'mockdesign-corpus-'));
    try {
      await smallCorpus(dir);
      const criteria = (await loadLibrary()).rubric.criteria.map((c) => c.id);
      // Every transcript, each scored as written, padded and stuffed.
      const corpus = await loadCorpus(dir);
      const cards = everyTranscript(corpus).length * 3;
      for (let i = 0; i < cards; i++) fake.script((body) => judgementFrom(body, criteria));
      const { code, stdout, stderr } = await new Promise<{
        code: number | null;
        stdout: string;
        stderr: string;
      }>((resolve) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', join(ROOT, 'eval', 'index.ts'), '--engine', 'llm', '--corpus', dir],
          {
            cwd: ROOT,
            env: {
              PATH: process.env.PATH ?? '',
              OPENAI_API_KEY: 'test',
              OPENAI_BASE_URL: fake.baseURL,
              MOCKDESIGN_MODEL: 'judge',
            },
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (c) => resolve({ code: c, stdout, stderr }));
      });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('engine: llm');
      expect(stdout).toContain(
        `labelled corpus: 12 development + 40 validation + 40 ${corpus.parts[1]?.name} held-out transcripts`,
      );
      expect(stdout).toMatch(/Spearman \(overall vs label\)/);
      // Every part, each of its transcripts judged by the LLM.
      const parts = [
        { name: 'development', size: corpus.development.length },
        ...corpus.parts.map((p) => ({ name: p.name, size: p.items.length })),
      ];
      const tokens = new RegExp(
        parts
          .map(
            (p) =>
              `${p.name}: ${p.size} of ${p.size} judged by the LLM, (\\d+) tokens per scorecard`,
          )
          .join('; '),
      ).exec(stdout);
      expect(tokens, stdout).not.toBeNull();
      expect(Number(tokens?.[1])).toBeGreaterThan(1000);
      // The judge saw each prompt's reference answer.
      const systems = fake.requests.map((r) => r.body.messages[0]?.content ?? '');
      expect(systems.every((s) => s.includes('## Reference: what a strong answer'))).toBe(true);
      expect(fake.requests).toHaveLength(cards);
    } finally {
      await fake.close();
      await rm(dir, { recursive: true, force: true });
    }
    // About 15 s alone (276 scorecards, each judged and cross-checked); this bound only catches a
    // hang, with room for a machine that is busy with other work.
  }, 240_000);
});
