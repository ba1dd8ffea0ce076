import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests spawn the built command, and CI machines are shared: no tight per-test limit.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
