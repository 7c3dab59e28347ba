import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CANARY_PASSWORD, createTestCore, removeDir } from '../../support/test-core';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('secret hygiene', () => {
  it('leaves no trace of the key store password anywhere in the data directory, WAL included', async () => {
    const t = await createTestCore();
    const logs: string[] = [];
    const originalError = console.error;
    console.error = (...args: unknown[]) => logs.push(args.map(String).join(' '));
    try {
      await t.call('InitializeDefaultKeyStore', { KeyStorePassword: CANARY_PASSWORD });
      const { KeyMetadata } = await t.call('CreateKey', { KeySpec: 'Aliyun_AES_256' });
      await t.call('Encrypt', { KeyId: KeyMetadata.KeyId, Plaintext: Buffer.from('x').toString('base64') });
      await t.call('DisconnectKeyStore', { KeyStoreId: 'kst-default' });
      await t.fail('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: `${CANARY_PASSWORD}9` });
      await t.call('ConnectKeyStore', { KeyStoreId: 'kst-default', KeyStorePassword: CANARY_PASSWORD });
      // Read the files while the database is still open, so the WAL has not been checkpointed away.
      const files = filesUnder(t.dataDir);
      expect(files.some((file) => file.endsWith('-wal'))).toBe(true);
      const needles = [Buffer.from(CANARY_PASSWORD, 'utf8'), Buffer.from(CANARY_PASSWORD, 'utf16le')];
      for (const file of files) {
        const content = readFileSync(file);
        for (const needle of needles) expect(content.includes(needle), `${file} contains the password`).toBe(false);
      }
      expect(logs.join('\n')).not.toContain(CANARY_PASSWORD);
    } finally {
      console.error = originalError;
      await t.close();
      removeDir(t.dataDir);
    }
  });
});
