import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { defaultHome, RoundArchive } from '../../adapters/terminal/round-archive.js';
import { keptRound } from './archive-writer.js';

describe('kept terminal rounds', () => {
  it('keeps earlier rounds whole when the process is killed in the middle of a write', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mockdesign-kill-'));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'archive-writer.ts'), home],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    expect(((await once(lines, 'line')) as [string])[0]).toBe('ready');
    const dir = join(home, 'rounds');
    // Killed while a large round is being written: its temporary file is there.
    for (;;) {
      if ((await readdir(dir)).some((name) => name.endsWith('.tmp'))) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await once(child, 'close');
    const { rounds, unreadable } = await new RoundArchive(home).list();
    expect(unreadable).toEqual([]);
    const small = rounds.filter((r) => ['r1', 'r2', 'r3'].includes(r.id));
    expect(small.map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
    for (const round of small)
      expect(round.transcript).toEqual(keptRound(Number(round.id.slice(1)), 10).transcript);
  });

  it('skips a damaged file and names it, and lists the rest', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mockdesign-damaged-'));
    const archive = new RoundArchive(home);
    await archive.save(keptRound(1, 5));
    await writeFile(join(archive.dir, 'x.round.json'), '{"version":1,"round":{"id":');
    const { rounds, unreadable } = await archive.list();
    expect(rounds.map((r) => r.id)).toEqual(['r1']);
    expect(unreadable).toEqual([join(archive.dir, 'x.round.json')]);
  });

  it('lives in the platform’s user data folder unless MOCKDESIGN_HOME says otherwise', () => {
    expect(defaultHome({}, 'linux', '/home/ada')).toBe('/home/ada/.local/share/mockdesign');
    expect(defaultHome({ XDG_DATA_HOME: '/data' }, 'linux', '/home/ada')).toBe('/data/mockdesign');
    expect(defaultHome({}, 'darwin', '/Users/ada')).toBe(
      '/Users/ada/Library/Application Support/mockdesign',
    );
  });
});
