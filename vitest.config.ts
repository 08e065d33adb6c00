import { defineConfig } from 'vitest/config';

// Unit tests: engine and renderer logic in Node, no browser, no network
// beyond 127.0.0.1. End-to-end suites run under Playwright (test/e2e).
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 10_000,
    reporters: ['default', ['json', { outputFile: 'test-results/unit-report.json' }]],
  },
});
