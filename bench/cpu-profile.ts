import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

/**
 * A V8 CPU profile of this process over a window (`BENCH_CPU_PROFILE=1`), written as a
 * `.cpuprofile` file that Chrome DevTools or `node --cpu-prof`-style tools open.
 */
export async function startCpuProfile() {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  return {
    /** Stops profiling and writes the profile to `file`. */
    async stop(file: string): Promise<void> {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
