import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The set-up packs three tarballs and runs npm install in a fresh project
    // (about 20 s on a quiet machine); each test then runs tsc, ESLint or node there.
    testTimeout: 180_000,
    hookTimeout: 600_000,
  },
});
