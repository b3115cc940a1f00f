import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // typed linting is heavy: one worker at a time keeps the shared machine usable
    maxWorkers: 1,
    // Bounds for hangs only: typed linting on two busy cores can take ten times a quiet run.
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
