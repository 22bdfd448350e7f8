import { defineConfig } from 'vitest/config';

// Integration tests start real processes; give them room but keep the whole run well under 10 minutes.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds dist/ when stale: the processes the tests start run the compiled code.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
