import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Tests start real servers and child processes; two cores do not like many at once.
    maxWorkers: 2,
    // The engine-level suites run in both thread modes; the rest in the host's thread (they patch engine parts
    // in process). MEMDEDUP_THREAD is the default for engines whose options do not set `thread`.
    projects: [
      { extends: true, test: { name: 'inline', include: ['test/**/*.test.ts'], env: { MEMDEDUP_THREAD: 'inline' } } },
      { extends: true, test: { name: 'worker', include: ['test/engine/**/*.test.ts', 'test/resilience/**/*.test.ts', 'test/worker/**/*.test.ts'], env: { MEMDEDUP_THREAD: 'worker' } } },
    ],
  },
});
