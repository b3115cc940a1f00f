import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file compiles whole projects with two compilers: bounds for hangs only, far above a run on two busy cores.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
