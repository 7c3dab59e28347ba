import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HsmModuleClient } from '../../../electron/main/hsm/client';
import { KmsError } from '../../../shared/errors';
import { createSoftHsmFixture, type SoftHsmFixture } from '../../support/softhsm';
import { caught, newObjectId, RecordingLauncher, SO_PIN, USER_PIN } from './helpers';

describe('hsm token administration (SoftHSM2)', () => {
  let fixture: SoftHsmFixture;
  let client: HsmModuleClient;
  let serial: string;

  beforeAll(async () => {
    fixture = await createSoftHsmFixture();
    client = new HsmModuleClient(fixture.moduleSpec, { launcher: new RecordingLauncher() });
  });

  afterAll(async () => {
    await client.close();
    await fixture.cleanup();
  });

  it('describes the library and the spare slot with its mechanisms', async () => {
    const info = await client.libraryInfo();
    expect(info.manufacturer).toBe('SoftHSM');
    expect(info.cryptokiVersion).toBe('2.40');

    const slots = await client.listSlots();
    expect(slots).toHaveLength(1);
    const [slot] = slots;
    expect(slot?.tokenPresent).toBe(true);
    expect(slot?.token?.initialized).toBe(false);
    const names = slot?.mechanisms.map((m) => m.name) ?? [];
    expect(names).toEqual(expect.arrayContaining(['CKM_AES_GCM', 'CKM_ECDSA', 'CKM_RSA_PKCS_PSS', 'CKM_SHA256_HMAC', 'CKM_EDDSA']));
    const gcm = slot?.mechanisms.find((m) => m.name === 'CKM_AES_GCM');
    expect(gcm?.flags).toEqual(expect.arrayContaining(['ENCRYPT', 'DECRYPT']));
    const ecGen = slot?.mechanisms.find((m) => m.name === 'CKM_EC_KEY_PAIR_GEN');
    expect(ecGen?.flags).toContain('GENERATE_KEY_PAIR');
  });

  it('initializes the spare token and finds it again by serial', async () => {
    const [spare] = await client.listSlots();
    ({ serial } = await client.initToken({ slotId: spare?.slotId, soPin: SO_PIN, label: 'ceremony token' }));
    expect(serial).toMatch(/^[0-9a-f]{16}$/);

    const slots = await client.listSlots();
    const token = slots.find((s) => s.token?.serial === serial)?.token;
    expect(token).toMatchObject({ label: 'ceremony token', initialized: true, userPinInitialized: false });
    // SoftHSM offers a new spare slot after each initialization.
    expect(slots.filter((s) => s.token && !s.token.initialized)).toHaveLength(1);
  });

  it('refuses to re-initialize an initialized token unless asked to', async () => {
    const slotId = (await client.listSlots()).find((s) => s.token?.serial === serial)?.slotId;
    const error = await caught(client.initToken({ slotId, soPin: SO_PIN, label: 'again' }));
    expect(error).toBeInstanceOf(KmsError);
    expect(error.code).toBe('InvalidParameter');
  });

  it('sets the user PIN as SO and logs in idempotently', async () => {
    await client.initUserPin({ serial, soPin: SO_PIN, userPin: USER_PIN });
    expect(await client.isLoggedIn({ serial })).toBe(false);
    await client.login({ serial, userPin: USER_PIN });
    await client.login({ serial, userPin: USER_PIN }); // CKR_USER_ALREADY_LOGGED_IN is success
    expect(await client.isLoggedIn({ serial })).toBe(true);
    await client.logout({ serial });
    await client.logout({ serial });
    expect(await client.isLoggedIn({ serial })).toBe(false);
  });

  it('reports a wrong PIN as HsmError.PinIncorrect without echoing it', async () => {
    const wrongPin = 'Wrong-Pin-31337';
    const error = await caught(client.login({ serial, userPin: wrongPin }));
    expect(error).toBeInstanceOf(KmsError);
    expect(error.code).toBe('HsmError.PinIncorrect');
    expect(error.ckr).toBe('CKR_PIN_INCORRECT');
    expect(error.message).toContain('CKR_PIN_INCORRECT');
    expect(error.message).not.toContain(wrongPin);
    expect(error.message).not.toContain(USER_PIN);
    expect(JSON.stringify(error)).not.toContain(wrongPin);
    expect(error.stack ?? '').not.toContain(wrongPin);

    const soError = await caught(client.initUserPin({ serial, soPin: wrongPin, userPin: USER_PIN }));
    expect(soError.code).toBe('HsmError.PinIncorrect');
    expect(soError.message).not.toContain(wrongPin);
  });

  it('rejects malformed PINs before they reach the module', async () => {
    for (const pin of ['', 'with\u0000nul', 'x'.repeat(300)]) {
      const error = await caught(client.login({ serial, userPin: pin }));
      expect(error.code).toBe('HsmError.PinInvalid');
      expect(error.message).not.toContain(pin || 'unused');
    }
    // SoftHSM's own minimum PIN length (4) comes back as CKR_PIN_LEN_RANGE.
    const short = await caught(client.setUserPin({ serial, oldPin: USER_PIN, newPin: 'abc' }));
    expect(short.code).toBe('HsmError.PinInvalid');
    expect(short.ckr).toBe('CKR_PIN_LEN_RANGE');
  });

  it('changes the user PIN', async () => {
    const newPin = 'user-Changed-2024';
    await client.setUserPin({ serial, oldPin: USER_PIN, newPin });
    expect((await caught(client.login({ serial, userPin: USER_PIN }))).code).toBe('HsmError.PinIncorrect');
    await client.login({ serial, userPin: newPin });
    await client.setUserPin({ serial, oldPin: newPin, newPin: USER_PIN });
    await client.logout({ serial });
    await client.login({ serial, userPin: USER_PIN });
    expect(await client.isLoggedIn({ serial })).toBe(true);
  });

  it('refuses key operations when not logged in, and unknown serials', async () => {
    await client.logout({ serial });
    const objectId = newObjectId();
    const notLoggedIn = await caught(client.keyExists({ serial, objectId }));
    expect(notLoggedIn.code).toBe('Forbidden.KeyStoreState');
    expect(notLoggedIn.ckr).toBe('CKR_USER_NOT_LOGGED_IN');
    // Random numbers need no login.
    expect(await client.generateRandom({ serial, length: 32 })).toHaveLength(32);

    const unknown = await caught(client.isLoggedIn({ serial: 'ffffffffffffffff' }));
    expect(unknown.code).toBe('HsmError.TokenNotPresent');
    const invalid = await caught(client.keyExists({ serial, objectId: 'not-hex' }));
    expect(invalid.code).toBe('InvalidParameter');
  });

  it('fails to open a library that does not exist with HsmError.ModuleLoadFailed', async () => {
    const broken = new HsmModuleClient({ path: '/nonexistent/libpkcs11.so', env: {} }, { launcher: new RecordingLauncher() });
    try {
      const first = await caught(broken.listSlots());
      expect(first.code).toBe('HsmError.ModuleLoadFailed');
      const second = await caught(broken.libraryInfo());
      expect(second.code).toBe('HsmError.ModuleLoadFailed');
    } finally {
      await broken.close();
    }
  });
});
