import { defineConfig } from '@playwright/test';

/**
 * End-to-end suites. They drive Debian's Chromium (no browser download works
 * on the build machines) against a real Kamailio on 127.0.0.1; each spec file
 * gets the test bed it asks for from the fixtures (test/e2e/support/fixtures.ts),
 * in a worker of its own that starts and stops it. One worker at a time: the
 * suites share the two CPU cores and real audio timing suffers under parallel
 * load.
 */
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  retries: 0,
  outputDir: 'test-results/e2e',
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e-report.json' }]],
  use: {
    trace: 'retain-on-failure',
  },
});
