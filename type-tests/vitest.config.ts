import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file compiles whole projects with two compilers.
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
