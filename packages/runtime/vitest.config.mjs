// @ts-check
import { defineConfig } from 'vitest/config';

// Tests start real workers on a machine shared by several people: bounded
// time per test, and few files at once.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
