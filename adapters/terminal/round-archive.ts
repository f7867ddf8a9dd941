/**
 * The terminal's kept rounds: each finished round's transcript and scorecard as one JSON file in
 * `MOCKDESIGN_HOME/rounds`. A file is written whole to a temporary name, flushed to disk and then
 * renamed into place, so a crash mid-write leaves at most a stray temporary file and never a
 * half-written round; earlier rounds are never rewritten.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { KeptRound } from '../../src/progress/kept-round.js';
import { TranscriptSchema } from '../../src/transcript.js';

/** What a kept-round file holds. */
interface KeptFile {
  readonly version: 1;
  readonly round: KeptRound;
}

/** Kept rounds end in this; anything else in the folder (a temporary file) is not one. */
const SUFFIX = '.round.json';

/**
 * The platform's user data folder for mockdesign: `$XDG_DATA_HOME/mockdesign` or
 * `~/.local/share/mockdesign` on Linux, `~/Library/Application Support/mockdesign` on macOS,
 * `%LOCALAPPDATA%\mockdesign` on Windows.
 */
export function defaultHome(
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform,
  home: string = homedir(),
): string {
  if (platform === 'win32')
    return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'mockdesign');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'mockdesign');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'mockdesign');
}

/**
 * The transcript inside what a kept round's file holds (`{ version, round: { transcript } }`), so
 * that the file a round was kept in can be scored again; undefined for anything else.
 */
export function keptTranscript(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const { version, round } = data as Partial<KeptFile>;
  return version === 1 && typeof round === 'object' && round !== null
    ? round.transcript
    : undefined;
}

/** The kept rounds under one data folder. */
export class RoundArchive {
  /** The data folder (`MOCKDESIGN_HOME`). */
  readonly home: string;
  /** Where the round files are. */
  readonly dir: string;

  constructor(home: string) {
    this.home = home;
    this.dir = join(home, 'rounds');
  }

  /**
   * Why kept rounds cannot be read here (or, with `write`, kept here), as the path at fault and
   * an error code (`ENOTDIR`, `EACCES`, ...); undefined when they can. Nothing is created: a
   * folder not there yet is fine when the nearest one above it could hold it.
   */
  async problem(write: boolean): Promise<{ path: string; code: string } | undefined> {
    const mode = constants.R_OK | constants.X_OK | (write ? constants.W_OK : 0);
    let path = this.dir;
    for (;;) {
      const kind = await stat(path).then(
        (s) => (s.isDirectory() ? 'folder' : 'other'),
        (error: NodeJS.ErrnoException) => error.code ?? String(error),
      );
      if (kind === 'folder') {
        // The rounds folder itself is read; a folder above it only has to take a new one.
        const needed = path === this.dir ? mode : write ? constants.W_OK | constants.X_OK : 0;
        return access(path, needed).then(
          () => undefined,
          (error: NodeJS.ErrnoException) => ({ path, code: error.code ?? String(error) }),
        );
      }
      if (kind === 'other') return { path, code: 'ENOTDIR' };
      // Not there, or under a file: the first thing that is there says which.
      const parent = dirname(path);
      if ((kind !== 'ENOENT' && kind !== 'ENOTDIR') || parent === path) return { path, code: kind };
      path = parent;
    }
  }

  /** Keeps a finished round; returns its file. Keeping the same round again replaces it whole. */
  async save(round: KeptRound): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const stamp = new Date(round.startedAt).toISOString().replace(/[:.]/g, '-');
    const file = join(this.dir, `${stamp}-${round.id}${SUFFIX}`);
    const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
    const body: KeptFile = { version: 1, round };
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(`${JSON.stringify(body)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
    // The rename itself reaches the disk once the folder is flushed (where the system allows).
    await open(this.dir, 'r')
      .then(async (folder) => {
        await folder.sync().catch(() => {});
        await folder.close();
      })
      .catch(() => {});
    return file;
  }

  /**
   * The kept rounds, newest first, and the files that could not be read (damaged by hand, or
   * from a newer version): those are skipped, never deleted.
   */
  async list(): Promise<{ rounds: KeptRound[]; unreadable: string[] }> {
    const { kept, unreadable } = await this.read();
    return { rounds: kept.map((k) => k.round), unreadable };
  }

  /**
   * Deletes the kept rounds `list` reads, and nothing else: a file that is not a readable round
   * (the person's own, a damaged round, a write in progress) stays. The folder goes too once it
   * is empty. Returns how many rounds were deleted, and the unreadable round files left.
   */
  async clear(): Promise<{ deleted: number; unreadable: string[] }> {
    const { kept, unreadable } = await this.read();
    for (const { file } of kept) await rm(file, { force: true });
    await rmdir(this.dir).catch(() => {});
    return { deleted: kept.length, unreadable };
  }

  /** The kept rounds with their files, newest first, and the round files that cannot be read. */
  private async read(): Promise<{
    kept: { file: string; round: KeptRound }[];
    unreadable: string[];
  }> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kept: [], unreadable: [] };
      throw error;
    }
    const kept: { file: string; round: KeptRound }[] = [];
    const unreadable: string[] = [];
    for (const name of names.filter((n) => n.endsWith(SUFFIX))) {
      const file = join(this.dir, name);
      const round = await readRound(file);
      if (round) kept.push({ file, round });
      else unreadable.push(file);
    }
    kept.sort((a, b) => b.round.startedAt - a.round.startedAt);
    return { kept, unreadable };
  }
}

async function readRound(file: string): Promise<KeptRound | undefined> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as Partial<KeptFile>;
    const round = data.round;
    if (data.version !== 1 || !round || typeof round.id !== 'string') return undefined;
    if (
      typeof round.startedAt !== 'number' ||
      !TranscriptSchema.safeParse(round.transcript).success
    ) {
      return undefined;
    }
    return round;
  } catch {
    return undefined;
  }
}
