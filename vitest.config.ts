import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // Checks of the built .deb: their own project, run by `npm test` after `npm run package`.
          exclude: [...configDefaults.exclude, 'tests/integration/package/**'],
          environment: 'node',
          globalSetup: ['tests/support/kms-bundle-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // SoftHSM tokens and worker processes: keep files apart, two cores.
          pool: 'forks',
          fileParallelism: true,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'package',
          include: ['tests/integration/package/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 300_000,
          pool: 'forks',
          fileParallelism: false,
        },
      },
    ],
  },
});
