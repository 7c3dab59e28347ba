/**
 * R4 helpers: look for a canary secret in the forms it could leak as (UTF-8, UTF-16LE, base64 at
 * each of the three byte alignments, hex) in the files of a data directory and in captured text,
 * and capture what this process writes to the console meanwhile.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/**
 * The byte strings a leaked secret would show up as. Base64 depends on where the secret starts in
 * the encoded bytes, so each alignment gets the characters that only the secret determines.
 */
export function canaryNeedles(secret: string): Buffer[] {
  const bytes = Buffer.from(secret, 'utf8');
  const base64 = [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const from = offset === 0 ? 0 : 4;
    return encoded.slice(from, 4 * Math.floor((offset + bytes.length) / 3));
  });
  return [bytes, Buffer.from(secret, 'utf16le'), Buffer.from(bytes.toString('hex')), ...base64.map((text) => Buffer.from(text))];
}

/** Where (file and form) any of the secrets is found in the directory's files; `bytes` counts what was read. */
export function scanFiles(dir: string, secrets: readonly string[]): { findings: string[]; files: number; bytes: number } {
  const files = filesUnder(dir);
  const findings: string[] = [];
  let bytes = 0;
  for (const file of files) {
    const content = readFileSync(file);
    bytes += content.length;
    for (const secret of secrets) {
      for (const [form, needle] of canaryNeedles(secret).entries()) {
        if (content.includes(needle)) findings.push(`${path.relative(dir, file)} holds ${secret} (form ${form})`);
      }
    }
  }
  return { findings, files: files.length, bytes };
}

/** Where any of the secrets is found in a captured text, with a little context. */
export function scanText(where: string, text: string, secrets: readonly string[]): string[] {
  const findings: string[] = [];
  for (const secret of secrets) {
    for (const needle of canaryNeedles(secret)) {
      const at = text.indexOf(needle.toString('latin1'));
      if (at >= 0) findings.push(`${where} holds ${secret}: …${text.slice(Math.max(0, at - 200), at).replace(/\n/g, ' ')}`);
    }
  }
  return findings;
}

/** Captures everything this process writes to the console and to stdout/stderr while `fn` runs. */
export async function capturingOutput<T>(fn: () => Promise<T>): Promise<{ value: T; output: string }> {
  const chunks: string[] = [];
  const saved = { error: console.error, log: console.log, warn: console.warn, out: process.stdout.write, err: process.stderr.write };
  const keep = (...args: unknown[]): void => void chunks.push(args.map(String).join(' '));
  console.error = keep;
  console.log = keep;
  console.warn = keep;
  process.stdout.write = ((chunk: unknown) => (chunks.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown) => (chunks.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    return { value: await fn(), output: chunks.join('\n') };
  } finally {
    Object.assign(console, { error: saved.error, log: saved.log, warn: saved.warn });
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
  }
}
