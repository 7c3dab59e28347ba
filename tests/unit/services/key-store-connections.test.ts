import { describe, expect, it } from 'vitest';
import { HsmError, HsmModuleClient } from '../../../electron/main/hsm';
import { KeyStoreConnections, tokenHandle, type TokenHandle } from '../../../electron/main/services/keystores/connections';
import { KmsError } from '../../../shared/errors';

/** Real clients that never start a worker: these tests only tell their tokens apart. */
function idleClient(name: string): HsmModuleClient {
  const launcher = { launch: () => { throw new Error('no worker is started in these tests'); } };
  return new HsmModuleClient({ path: `/nonexistent/${name}.so`, env: {} }, { launcher });
}
const clientA = idleClient('a');
const clientB = idleClient('b');

function token(client: HsmModuleClient, hsmId: string, network: boolean, workerPid: number): TokenHandle {
  return tokenHandle(client, `serial-${hsmId}`, { workerPid, member: { hsmId, moduleName: `module ${hsmId}`, network, aesGcm: !network, aesKeyWrap: !network } });
}

function connected(tokens: TokenHandle[]): { connections: KeyStoreConnections; lost: string[] } {
  const connections = new KeyStoreConnections();
  const lost: string[] = [];
  connections.onTokenLost((_store, dropped) => lost.push(dropped.member?.hsmId ?? ''));
  connections.set('kst-1', 'CONNECTED', null, tokens);
  return { connections, lost };
}

describe('cluster key store connections', () => {
  it('fails over to the next member when one is unreachable, and fails the store when none is left', async () => {
    const { connections, lost } = connected([token(clientA, 'hsm-a', true, 1), token(clientB, 'hsm-b', true, 2)]);
    const used: string[] = [];
    const result = await connections.withToken('kst-1', {}, async (candidate) => {
      used.push(candidate.member?.hsmId ?? '');
      if (candidate.client === clientA) throw new KmsError('HsmError.DeviceError', 'gone');
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(used).toEqual(['hsm-a', 'hsm-b']);
    expect(lost).toEqual(['hsm-a']);
    expect(connections.get('kst-1')).toEqual({ state: 'CONNECTED', errorCode: null });

    await expect(connections.withToken('kst-1', {}, () => Promise.reject(new KmsError('HsmError.WorkerCrashed', 'gone')))).rejects.toThrow('gone');
    expect(connections.get('kst-1')).toEqual({ state: 'FAILED', errorCode: 'NETWORK_ERRORS' });
  });

  it('passes over a member whose copy is missing or unusable, without dropping it', async () => {
    const { connections, lost } = connected([token(clientA, 'hsm-a', false, 1), token(clientB, 'hsm-b', false, 2)]);
    const failures = [
      new KmsError('HsmError.ObjectNotFound', 'no key'),
      new HsmError('HsmError.Generic', 'sign: the PKCS#11 module returned an error', 'CKR_KEY_SIZE_RANGE'),
      new HsmError('HsmError.MechanismInvalid', 'encrypt: refused', 'CKR_MECHANISM_INVALID'),
    ];
    for (const failure of failures) {
      const used: string[] = [];
      const result = await connections.withToken('kst-1', {}, async (candidate) => {
        used.push(candidate.member?.hsmId ?? '');
        if (candidate.client === clientA) throw failure;
        return 'ok';
      });
      expect([result, used]).toEqual(['ok', ['hsm-a', 'hsm-b']]);
    }
    // Missing everywhere: the first member's answer, and both members stay.
    await expect(connections.withToken('kst-1', {}, () => Promise.reject(new KmsError('HsmError.ObjectNotFound', 'no key')))).rejects.toThrow('no key');
    expect(lost).toEqual([]);
    expect(connections.tokensOf('kst-1')).toHaveLength(2);
  });

  it('does not fail over on a genuine answer such as a bad ciphertext', async () => {
    const { connections, lost } = connected([token(clientA, 'hsm-a', false, 1), token(clientB, 'hsm-b', false, 2)]);
    const used: string[] = [];
    const call = connections.withToken('kst-1', {}, (candidate) => {
      used.push(candidate.member?.hsmId ?? '');
      return Promise.reject(new KmsError('InvalidCiphertext', 'tag mismatch'));
    });
    await expect(call).rejects.toThrow('tag mismatch');
    expect(used).toEqual(['hsm-a']);
    expect(lost).toEqual([]);
  });

  it('refuses AES-GCM with UnsupportedOperation naming the modules when only network members are connected', async () => {
    const { connections } = connected([token(clientA, 'hsm-a', true, 1), token(clientB, 'hsm-b', true, 2)]);
    const refused = await connections.withToken('kst-1', { aesGcm: true }, () => Promise.resolve('never')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(KmsError);
    expect((refused as KmsError).code).toBe('UnsupportedOperation');
    expect((refused as KmsError).message).toContain('module hsm-a, module hsm-b');
  });

  it('drops on a worker crash only the logins that worker held', () => {
    const { connections, lost } = connected([token(clientA, 'hsm-a', true, 7), token(clientB, 'hsm-b', true, 8)]);
    expect(connections.markClientLost(clientA, 6)).toEqual([]);
    expect(lost).toEqual([]);
    connections.markClientLost(clientA, 7);
    expect(lost).toEqual(['hsm-a']);
    expect(connections.tokensOf('kst-1').map((remaining) => remaining.member?.hsmId)).toEqual(['hsm-b']);
    expect(connections.get('kst-1').state).toBe('CONNECTED');
  });

  it('tells the onConnected listeners when members rejoin a connected store, and only then', () => {
    const { connections } = connected([token(clientA, 'hsm-a', false, 1)]);
    const told: string[] = [];
    connections.onConnected((keyStoreId) => told.push(keyStoreId));
    connections.announceMembersBack('kst-1');
    expect(told).toEqual(['kst-1']);
    connections.set('kst-1', 'DISCONNECTED', null);
    connections.announceMembersBack('kst-1');
    connections.announceMembersBack('kst-unknown');
    expect(told).toEqual(['kst-1']);
  });
});

describe('cluster members joining and leaving a connected store', () => {
  it('adds a joined member to the members, and removes a member for good without reporting a loss', () => {
    const first = token(clientA, 'hsm-a', false, 1);
    const second = token(clientB, 'hsm-b', false, 2);
    const connections = new KeyStoreConnections();
    const lost: string[] = [];
    connections.onTokenLost((_store, dropped) => lost.push(dropped.member?.hsmId ?? ''));
    connections.set('kst-1', 'CONNECTED', null, [first], [first.member!]);

    const joined = token(clientB, 'hsm-c', false, 2);
    connections.addTokens('kst-1', [joined]);
    expect(connections.membersOf('kst-1').map((member) => member.hsmId)).toEqual(['hsm-a', 'hsm-c']);
    connections.addTokens('kst-1', [second]);
    expect(connections.tokensOf('kst-1').map((handle) => handle.member?.hsmId)).toEqual(['hsm-a', 'hsm-c', 'hsm-b']);

    expect(connections.removeMember('kst-1', 'hsm-c')).toEqual([joined]);
    expect(connections.tokensOf('kst-1').map((handle) => handle.member?.hsmId)).toEqual(['hsm-a', 'hsm-b']);
    expect(connections.membersOf('kst-1').map((member) => member.hsmId)).toEqual(['hsm-a', 'hsm-b']);
    expect(connections.get('kst-1')).toEqual({ state: 'CONNECTED', errorCode: null });
    expect(lost).toEqual([]);
    expect(connections.removeMember('kst-unknown', 'hsm-a')).toEqual([]);
  });
});
