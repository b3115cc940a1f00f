import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each test runs a real bundler and then the built app in a child Node: one file at a time on the shared machine.
    maxWorkers: 1,
    // Bounds for hangs only: a build and a run on two busy cores can take ten times a quiet one.
    testTimeout: 300_000,
    // The browser test builds its app in a hook: as long.
    hookTimeout: 300_000,
  },
});
