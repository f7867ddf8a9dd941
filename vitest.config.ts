import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Tests over the whole labelled corpus take seconds on a busy machine.
          testTimeout: 30_000,
          // CPU-bound files: one per core (vitest's default leaves one core idle). Integration
          // files run after these, one at a time, so their timings never share the machine.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 30_000,
          globalSetup: ['test/integration/global-setup.ts'],
        },
      },
    ],
  },
});
