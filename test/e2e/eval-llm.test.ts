/** `npm run eval:scorer -- --engine llm` against a local OpenAI-compatible server. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { everyTranscript, loadCorpus } from '../../eval/corpus.js';
import { loadLibrary } from '../../rubric/load.js';
import { type ChatRequestBody, reply, startFakeOpenAI } from '../fakes/openai/fake-openai.js';

const ROOT = join(import.meta.dirname, '..', '..');

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
    try {
      const criteria = (await loadLibrary()).rubric.criteria.map((c) => c.id);
      // Every transcript, each scored as written, padded and stuffed.
      const corpus = await loadCorpus();
      const cards = everyTranscript(corpus).length * 3;
      for (let i = 0; i < cards; i++) fake.script((body) => judgementFrom(body, criteria));
      const { code, stdout, stderr } = await new Promise<{
        code: number | null;
        stdout: string;
        stderr: string;
      }>((resolve) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', join(ROOT, 'eval', 'index.ts'), '--engine', 'llm'],
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
    }
    // About two minutes alone on two cores (3,600 scorecards, each judged and cross-checked);
    // this bound only catches a hang, with room for a machine that is busy with other work.
  }, 480_000);
});
