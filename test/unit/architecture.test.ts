import { readdir, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** The module specifiers of a file's import and export statements and dynamic imports. */
function imports(text: string): string[] {
  const statements = /^\s*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]/gms;
  const dynamic = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...text.matchAll(statements), ...text.matchAll(dynamic)].map((m) => m[1] as string);
}

/** A relative import as a path from the repository root; a package name as it is. */
function target(file: string, spec: string): string {
  return spec.startsWith('.') ? normalize(join(dirname(file), spec)) : spec;
}

const CORE = ['src', 'rubric'];
const CORE_FORBIDDEN = [
  /^(adapters|jobs|redis|cli|app)\//,
  /^@slack\//,
  /^discord\.js$/,
  /^@discordjs\//,
  /^bullmq$/,
  /^ioredis$/,
];

/** The packages each adapter may use besides Node's own modules: its platform's library only. */
const ADAPTER_PACKAGES: Record<string, RegExp | undefined> = {
  slack: /^@slack\//,
  discord: /^(discord\.js|@discordjs\/.+)$/,
  terminal: undefined,
};

const NODE = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

describe('architecture', () => {
  it('keeps src/ and rubric/ free of adapters, jobs, redis, the CLI, the composition and platform or queue libraries', async () => {
    const offenders: string[] = [];
    for (const dir of CORE) {
      for (const file of await sources(dir)) {
        for (const spec of imports(await readFile(join(ROOT, file), 'utf8'))) {
          const to = target(file, spec);
          if (CORE_FORBIDDEN.some((f) => f.test(to))) offenders.push(`${file} imports ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('lets an adapter import only the core, its own folder and its own platform library', async () => {
    const offenders: string[] = [];
    for (const [adapter, allowed] of Object.entries(ADAPTER_PACKAGES)) {
      const own = join('adapters', adapter);
      for (const file of await sources(own)) {
        for (const spec of imports(await readFile(join(ROOT, file), 'utf8'))) {
          const to = target(file, spec);
          const ok =
            NODE.has(spec) ||
            to.startsWith(`${own}/`) ||
            CORE.some((dir) => to.startsWith(`${dir}/`)) ||
            (allowed?.test(spec) ?? false);
          if (!ok) offenders.push(`${file} imports ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('keeps process entry points in cli/: nothing else exits the process or reads its arguments', async () => {
    const offenders: string[] = [];
    for (const dir of [...CORE, 'adapters', 'app', 'jobs', 'redis']) {
      for (const file of await sources(dir)) {
        const text = await readFile(join(ROOT, file), 'utf8');
        if (/process\.(exit|argv)\b|import\.meta\.main/.test(text)) offenders.push(file);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('reads process.env only in the config loader', async () => {
    const readers: string[] = [];
    for (const dir of [...CORE, 'adapters', 'app', 'jobs', 'redis']) {
      for (const file of await sources(dir)) {
        const text = await readFile(join(ROOT, file), 'utf8');
        if (/process\.env/.test(text) && file !== join('src', 'config.ts')) readers.push(file);
      }
    }
    expect(readers).toEqual([]);
  });
});
