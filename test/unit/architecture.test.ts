import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const FORBIDDEN = [
  /^(\.\.\/)+adapters\//,
  /^(\.\.\/)+jobs\//,
  /^(\.\.\/)+redis\//,
  /^(\.\.\/)+cli\//,
  /^@slack\//,
  /^discord\.js$/,
  /^bullmq$/,
  /^ioredis$/,
];

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

function imports(text: string): string[] {
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
}

describe('architecture', () => {
  it('keeps src/ and rubric/ free of adapters, jobs, redis, Slack, Discord, BullMQ and Redis clients', async () => {
    const offenders: string[] = [];
    for (const file of [...(await sources('src')), ...(await sources('rubric'))]) {
      for (const spec of imports(await readFile(join(ROOT, file), 'utf8'))) {
        if (FORBIDDEN.some((f) => f.test(spec))) offenders.push(`${file} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('reads process.env only in the config loader', async () => {
    const readers: string[] = [];
    for (const file of [...(await sources('src')), ...(await sources('rubric'))]) {
      const text = await readFile(join(ROOT, file), 'utf8');
      if (/process\.env/.test(text) && file !== join('src', 'config.ts')) readers.push(file);
    }
    expect(readers).toEqual([]);
  });
});
