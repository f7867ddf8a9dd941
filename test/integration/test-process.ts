/** A process of its own for a test: a script run by tsx on the tests' Redis. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { REDIS_URL } from './redis-harness.js';

/**
 * Starts `script` with the tests' `REDIS_URL` and `env` (its stderr shown with the test's): the
 * process at once (for the caller to stop whatever happens), and the first line it prints (its
 * "ready …") once it has.
 */
export function startTestProcess(
  script: string,
  env: Record<string, string | undefined>,
): { child: ChildProcess; ready: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { PATH: process.env.PATH ?? '', REDIS_URL, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = (once(lines, 'line') as Promise<[string]>).then(([line]) => line);
  return { child, ready };
}
