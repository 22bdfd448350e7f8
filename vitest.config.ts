import { defineConfig } from 'vitest/config';

// Integration tests start real processes; give them room but keep the whole run well under 10 minutes.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
