import { bundleForTests } from './test-bundle';

/** The integration suite's global setup: its `kms` processes (run-cli.ts) run the bundled CLI. */
export default async function setup(): Promise<() => void> {
  const bundle = await bundleForTests();
  process.env.KEYWARD_TEST_KMS = bundle.entry('kms.js');
  return () => bundle.remove();
}
