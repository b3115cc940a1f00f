import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file drives a real language server; one at a time keeps two shared
    // cores from being swamped by several servers type-checking at once. The
    // time bounds are in the test files (test/support/limits.ts).
    fileParallelism: false,
  },
});
