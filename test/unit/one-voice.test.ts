/**
 * One voice: every sentence a person reads comes from the core's presentation model (or the
 * rubric); an adapter adds markup only. Messages for operators (logs, configuration and platform
 * errors) are not for chat users and may live in adapters.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** String and template literals of a file with their line numbers, comments removed. */
function literals(source: string): { line: number; text: string }[] {
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`])\/\/[^\n]*/g, '$1');
  const found: { line: number; text: string }[] = [];
  for (const m of code.matchAll(
    /'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g,
  )) {
    const line = code.slice(0, m.index).split('\n').length;
    found.push({ line, text: m[1] ?? m[2] ?? m[3] ?? '' });
  }
  return found;
}

/** Reads like a sentence for a person: three words or more, capitalised or punctuated. */
function sentenceLike(text: string): boolean {
  const words = text.replace(/\$\{[^}]*\}/g, ' ').trim();
  const count = (words.match(/[A-Za-z][a-z']+/g) ?? []).length;
  return count >= 3 && (/^[A-Z][a-z]/.test(words) || /[.!?]$/.test(words));
}

/** A literal written for an operator: a log line, or an error for logs and stderr. */
function forOperators(lines: readonly string[], line: number): boolean {
  const context = lines.slice(Math.max(0, line - 2), line).join('\n');
  return /logger\.(info|warn|error|debug)\(|(Error|platformError|Call)\(/.test(context);
}

describe('one voice', () => {
  it('keeps every user-facing sentence out of the adapters', async () => {
    const entries = await readdir(join(ROOT, 'adapters'), { withFileTypes: true, recursive: true });
    const files = entries
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => join(e.parentPath, e.name));
    expect(files.length).toBeGreaterThan(20);
    const sentences: string[] = [];
    for (const file of files) {
      const source = await readFile(file, 'utf8');
      const lines = source.split('\n');
      for (const { line, text } of literals(source)) {
        if (sentenceLike(text) && !forOperators(lines, line)) {
          sentences.push(`${relative(ROOT, file)}:${line}: ${text}`);
        }
      }
    }
    expect(sentences).toEqual([]);
  });

  it('would catch a sentence of an adapter’s own', () => {
    const source = [
      "logger.warn('slack: could not answer a thread reply', { error });",
      "const label = 'End round';",
      'const confirm = `End the round now?`;',
      "const APOLOGY = 'Sorry — something went wrong on our side. Please try again.';",
    ].join('\n');
    const lines = source.split('\n');
    const found = literals(source)
      .filter(({ line, text }) => sentenceLike(text) && !forOperators(lines, line))
      .map((l) => l.text);
    expect(found).toEqual([
      'End the round now?',
      'Sorry — something went wrong on our side. Please try again.',
    ]);
  });
});
