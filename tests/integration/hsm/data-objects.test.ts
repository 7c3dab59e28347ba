/**
 * Private data objects on a real SoftHSM2 token: put replaces (one value per label, the newest),
 * labels are kept apart, and without a login there is nothing to read or write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caught, setUpToken, USER_PIN, type TokenSetup } from './helpers';

describe('hsm private data objects (SoftHSM2)', () => {
  let t: TokenSetup;

  beforeAll(async () => {
    t = await setUpToken('data-objects');
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (label: string): Promise<Buffer[]> => t.client.getDataObjects({ serial: t.serial, label });
  const put = (label: string, value: string): Promise<void> => t.client.putDataObject({ serial: t.serial, label, value: Buffer.from(value) });

  it('keeps one value per label: the one put last', async () => {
    expect(await get('anchor')).toEqual([]);
    await put('anchor', 'first');
    await put('other', 'kept apart');
    await put('anchor', 'second');
    expect((await get('anchor')).map((value) => value.toString())).toEqual(['second']);
    expect((await get('other')).map((value) => value.toString())).toEqual(['kept apart']);
    const listed = await t.client.listObjects({ serial: t.serial });
    expect(listed.filter((object) => object.label === 'anchor')).toEqual([{ objectId: '', objectClass: 'OTHER', label: 'anchor' }]);
  });

  it('needs the user login to read or write', async () => {
    await t.client.logout({ serial: t.serial });
    try {
      expect((await caught(get('anchor'))).ckr).toBe('CKR_USER_NOT_LOGGED_IN');
      expect((await caught(put('anchor', 'third'))).ckr).toBe('CKR_USER_NOT_LOGGED_IN');
    } finally {
      await t.client.login({ serial: t.serial, userPin: USER_PIN });
    }
    expect((await get('anchor')).map((value) => value.toString())).toEqual(['second']);
  });

  it('refuses an empty value before it reaches the token', async () => {
    expect((await caught(t.client.putDataObject({ serial: t.serial, label: 'anchor', value: Buffer.alloc(0) }))).code).toBe('InvalidParameter');
  });
});
