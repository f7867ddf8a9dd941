/**
 * The terminal's progress commands, on the rounds kept under `MOCKDESIGN_HOME`: `history` (with
 * `--chart FILE.png`), `export` and `forget`. They work offline.
 */
import { writeFile } from 'node:fs/promises';
import { renderCard, terminalWidth } from '../adapters/terminal/index.js';
import type { RoundArchive } from '../adapters/terminal/round-archive.js';
import type { Library } from '../rubric/load.js';
import { causeOf, MockdesignError, UserError } from '../src/errors.js';
import { keptRoundsText, progressCard } from '../src/presentation/progress-cards.js';
import { progressChart } from '../src/progress/chart.js';
import { exportBytes, exportOf } from '../src/progress/export.js';
import { chartSpecOf, scored } from '../src/progress/kept-round.js';
import { trends } from '../src/progress/progress.js';
import { HISTORY_ROUNDS } from '../src/progress/progress-commands.js';

/** Where the CLI writes what it shows. */
interface Out {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** `mockdesign history [--chart FILE.png]`: the kept rounds, each criterion's trend, a chart. */
export async function terminalHistory(
  o: Out & { readonly library: Library; readonly archive: RoundArchive; readonly chart?: string },
): Promise<void> {
  const { rounds, unreadable } = await o.archive.list();
  warnUnreadable(o, unreadable);
  const { rubric } = o.library;
  if (o.chart !== undefined) {
    if (!o.chart.toLowerCase().endsWith('.png')) {
      throw new UserError(`--chart needs a file name ending in .png (got "${o.chart}")`);
    }
    if (rounds.length === 0) {
      o.stdout.write('No rounds yet, so no chart was written.\n');
    } else {
      await writeOut('--chart', o.chart, progressChart(chartSpecOf(rubric, rounds)));
    }
  }
  const cards = scored(rounds).map((r) => r.scorecard);
  const card = progressCard(
    rubric,
    rounds.slice(0, HISTORY_ROUNDS),
    trends(rubric, cards),
    o.chart === undefined ? undefined : { file: o.chart },
    'terminal',
  );
  o.stdout.write(`${renderCard(card, { width: terminalWidth(o.stdout) })}\n`);
}

/** `mockdesign export [--out FILE]`: every kept round as transcript JSON with its scorecard. */
export async function terminalExport(
  o: Out & { readonly archive: RoundArchive; readonly file?: string },
): Promise<void> {
  const { rounds, unreadable } = await o.archive.list();
  warnUnreadable(o, unreadable);
  const bytes = exportBytes(exportOf(rounds));
  if (o.file === undefined) o.stdout.write(bytes);
  else {
    await writeOut('--out', o.file, bytes);
    o.stderr.write(`mockdesign: ${keptRoundsText.exported(rounds.length, o.file)}\n`);
  }
}

/**
 * `mockdesign forget [--confirm]`: says what it deletes, then (confirmed) deletes exactly that:
 * the kept rounds it counts. Anything else in the folder is left, and an unreadable round named.
 */
export async function terminalForget(
  o: Out & { readonly archive: RoundArchive; readonly confirmed: boolean },
): Promise<void> {
  const left = 'so it is left there';
  if (!o.confirmed) {
    const { rounds, unreadable } = await o.archive.list();
    warnUnreadable(o, unreadable, left);
    o.stdout.write(`${keptRoundsText.forgetPreview(rounds.length, o.archive.dir)}\n`);
    return;
  }
  let cleared: Awaited<ReturnType<RoundArchive['clear']>>;
  try {
    cleared = await o.archive.clear();
  } catch (error) {
    throw new MockdesignError(
      'home',
      `forget: cannot delete the kept rounds in ${o.archive.dir} (${causeOf(error)}); some may be left: run \`mockdesign forget\` to see how many`,
    );
  }
  warnUnreadable(o, cleared.unreadable, left);
  o.stdout.write(`${keptRoundsText.forgotten(cleared.deleted)}\n`);
}

/** What to do about a file that cannot be written, by the cause's code. */
const WHY: Readonly<Record<string, string>> = {
  ENOENT: '; is its folder there?',
  ENOTDIR: '; is its folder there?',
  EISDIR: ': it is a folder; name a file in it',
  EACCES: ': you may not write there; name a file in a folder you can write to',
  EPERM: ': you may not write there; name a file in a folder you can write to',
  EROFS: ': the disk is read-only; name a file on another',
};

/**
 * Writes a file a person named with `flag`; one that cannot be written is one line naming it
 * (the environment's problem, not the arguments': exit 1).
 */
async function writeOut(flag: string, file: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFile(file, data);
  } catch (error) {
    const cause = causeOf(error);
    throw new MockdesignError(
      'output_file',
      `${flag}: cannot write ${file} (${cause})${WHY[cause] ?? ''}`,
    );
  }
}

function warnUnreadable(o: Out, files: readonly string[], why = ''): void {
  for (const file of files) {
    o.stderr.write(`mockdesign: skipped ${file}: not a readable round${why && `, ${why}`}\n`);
  }
}
