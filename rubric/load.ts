import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { RubricError } from '../src/errors.js';
import { type Prompt, PromptSchema, type Rubric, RubricSchema } from './schema.js';

/** The rubric and prompt library shipped with mockdesign. */
export const DEFAULT_RUBRIC_DIR = fileURLToPath(new URL('./default/', import.meta.url));
export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL('./prompts/', import.meta.url));

const DATA_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** A loaded, validated rubric with its prompt library. */
export interface Library {
  readonly rubric: Rubric;
  /** Prompts by id, in file-name order. */
  readonly prompts: ReadonlyMap<string, Prompt>;
}

export interface LibraryOptions {
  /**
   * `MOCKDESIGN_RUBRIC_DIR`: folder holding `rubric.yaml` (or `.yml`/`.json`); default the shipped
   * rubric. A problem with the folder itself names the variable.
   */
  rubricDir?: string;
  /**
   * `MOCKDESIGN_PROMPTS_DIR`: extra prompt folder; its prompts are added to the shipped ones,
   * replacing equal ids. A problem with the folder itself names the variable.
   */
  promptsDir?: string;
}

/** A folder a person named in a variable, for a problem with it to say so and how to fix it. */
export interface FolderVariable {
  readonly variable: string;
  readonly fix: string;
}

const RUBRIC_VARIABLE: FolderVariable = {
  variable: 'MOCKDESIGN_RUBRIC_DIR',
  fix: 'set it to a folder holding rubric.yaml, or unset it for the shipped rubric',
};
const PROMPTS_VARIABLE: FolderVariable = {
  variable: 'MOCKDESIGN_PROMPTS_DIR',
  fix: 'set it to a folder of prompt files, or unset it for the shipped prompts alone',
};

/** Loads and validates the rubric and prompts; throws a `RubricError` naming file, path and problem. */
export async function loadLibrary(options: LibraryOptions = {}): Promise<Library> {
  const rubric = options.rubricDir
    ? await loadRubric(options.rubricDir, RUBRIC_VARIABLE)
    : await loadRubric(DEFAULT_RUBRIC_DIR);
  const prompts = new Map<string, Prompt>();
  const folders: [string | undefined, FolderVariable | undefined][] = [
    [DEFAULT_PROMPTS_DIR, undefined],
    [options.promptsDir, PROMPTS_VARIABLE],
  ];
  for (const [dir, named] of folders) {
    if (!dir) continue;
    for (const prompt of await loadPrompts(dir, named)) {
      const unknown = prompt.stresses.find((id) => !rubric.criteria.some((c) => c.id === id));
      if (unknown !== undefined) {
        throw new RubricError(
          `${display(join(dir, prompt.id))}: at stresses: "${unknown}" is not a criterion of the rubric (use one of ${rubric.criteria.map((c) => c.id).join(', ')})`,
        );
      }
      prompts.set(prompt.id, prompt);
    }
  }
  if (prompts.size === 0) throw new RubricError('the prompt library is empty: add a prompt file');
  return Object.freeze({ rubric, prompts });
}

/** Loads `rubric.yaml` from `dir`; `named`: the variable `dir` came from, if it did. */
export async function loadRubric(dir: string, named?: FolderVariable): Promise<Rubric> {
  const names = await listData(dir, named);
  const name = names.find((n) => basename(n, extname(n)) === 'rubric');
  if (!name) {
    throw new RubricError(
      folderProblem(
        dir,
        'no rubric.yaml found (expected rubric.yaml, rubric.yml or rubric.json)',
        named,
      ),
    );
  }
  return parseFile(join(dir, name), RubricSchema);
}

/** Loads every prompt file in `dir`; `named`: the variable `dir` came from, if it did. */
export async function loadPrompts(dir: string, named?: FolderVariable): Promise<Prompt[]> {
  const prompts: Prompt[] = [];
  for (const name of await listData(dir, named)) {
    const file = join(dir, name);
    const prompt = await parseFile(file, PromptSchema);
    const stem = basename(name, extname(name));
    if (prompt.id !== stem) {
      throw new RubricError(
        `${display(file)}: at id: "${prompt.id}" must match the file name "${stem}"`,
      );
    }
    prompts.push(prompt);
  }
  return prompts;
}

async function listData(dir: string, named?: FolderVariable): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((n) => DATA_EXTENSIONS.has(extname(n))).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      named && code === 'ENOENT'
        ? 'no such folder'
        : named && code === 'ENOTDIR'
          ? 'not a folder'
          : `cannot read the folder (${code ?? error})`;
    throw new RubricError(folderProblem(dir, problem, named));
  }
}

/** A problem with a folder: from a variable, it is named with its value and how to fix it. */
function folderProblem(dir: string, problem: string, named?: FolderVariable): string {
  return named ? `${named.variable}=${dir}: ${problem}; ${named.fix}` : `${dir}: ${problem}`;
}

async function parseFile<S extends z.ZodType>(file: string, schema: S): Promise<z.infer<S>> {
  let data: unknown;
  try {
    const text = await readFile(file, 'utf8');
    data = extname(file) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new RubricError(
      `${display(file)}: not valid ${extname(file).slice(1).toUpperCase()}: ${firstLine(error)}`,
    );
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.length ? issue.path.join('.') : '(top level)';
    // YAML reads a line of text holding ": " as a key and its value: say how to keep it text.
    const found = issue?.path.reduce<unknown>(
      (at, key) => (at as Record<PropertyKey, unknown>)?.[key],
      data,
    );
    const hint =
      issue?.code === 'invalid_type' && issue.expected === 'string' && isMapping(found)
        ? ' (a line with ": " in it is read as a key and a value: put the line in quotes)'
        : '';
    throw new RubricError(`${display(file)}: at ${path}: ${issue?.message ?? 'invalid'}${hint}`);
  }
  return result.data;
}

function isMapping(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function display(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0] ?? '';
}
