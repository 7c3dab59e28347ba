import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  json: Record<string, unknown>;
}

/**
 * The `kms` entry point: the integration suite's bundle of it (kms-bundle-setup.ts), else its
 * TypeScript source through tsx.
 */
function kmsEntry(): string[] {
  const bundled = process.env.KEYWARD_TEST_KMS;
  return bundled ? [bundled] : ['--import', 'tsx', path.join(repoRoot, 'electron/cli/kms.ts')];
}

/** Runs the real `kms` entry point as a separate process. */
export function runKms(args: string[], options: { env?: Record<string, string>; stdin?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...kmsEntry(), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      // Output is pretty JSON on stdout; an error is one JSON line on stderr.
      const candidate = code === 0 ? stdout.trim() : (stderr.trim().split('\n').reverse().find((line) => line.startsWith('{')) ?? '');
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(candidate || '{}') as Record<string, unknown>;
      } catch {
        json = {};
      }
      resolve({ code, stdout, stderr, json });
    });
    child.stdin.end(options.stdin ?? '');
  });
}
