import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/e2e/bed-setup.ts'],
    // Engine tests share one dockerd; each uses its own compose project name, but two
    // cores do not get faster from more workers and slow engine calls then time out.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
