import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: a test that waits on real servers must still pass on a machine loaded four times over.
    testTimeout: 90_000,
    hookTimeout: 90_000,
    pool: 'forks',
    // One worker more than cores: most test time is spent waiting on child servers and loopback sockets,
    // and vitest's default (cores - 1) runs the suite one file at a time on a 2-core machine.
    maxWorkers: availableParallelism() + 1,
  },
});
