/**
 * The operation contract's own guarantees: object inputs, secret fields that name input fields, and
 * declared error codes. The `@ts-expect-error` lines are type tests: `tsc` fails if they compile.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { COMMON_ERRORS, contract, declaresError, OPERATION_NAMES, TOKEN_SESSION_ERRORS, type OperationDefinition } from '../../shared/contract';
import { defineOperation } from '../../shared/contract/define';
import { ObservedCodes } from '../integration/reliability/support/declared-errors';

const probe = {
  summary: 'probe',
  input: z.strictObject({ KeyStoreId: z.string(), KeyStorePassword: z.string() }),
  result: z.object({}),
  errors: ['NotFound.KeyStore'],
  mutates: false,
} satisfies Parameters<typeof defineOperation>[0];

describe('contract inputs', () => {
  it('are zod objects: every field is listed by input.shape, no cast needed', () => {
    for (const op of OPERATION_NAMES) {
      const definition: OperationDefinition = contract[op];
      expect(definition.input, op).toBeInstanceOf(z.ZodObject);
      expect(typeof definition.input.shape, op).toBe('object');
    }
  });

  it('name only secret fields the input has', () => {
    const strays = OPERATION_NAMES.flatMap((op) => contract[op].secretFields.filter((field) => !(field in contract[op].input.shape)).map((field) => `${op}.${field}`));
    expect(strays).toEqual([]);
  });

  it('refuse, at compile time, a secret field the input does not have', () => {
    const defined = defineOperation({ ...probe, secretFields: ['KeyStorePassword'] });
    expect(defined.secretFields).toEqual(['KeyStorePassword']);
    // @ts-expect-error a misspelled secret field does not compile
    defineOperation({ ...probe, secretFields: ['KeyStorePasword'] });
    // @ts-expect-error a non-object input does not compile (transports send named fields)
    defineOperation({ ...probe, input: z.string() });
  });
});

describe('declared errors', () => {
  const definition = defineOperation(probe);

  it('accept the codes an operation documents and the common ones', () => {
    expect(declaresError(definition, 'NotFound.KeyStore')).toBe(true);
    for (const code of COMMON_ERRORS) expect(declaresError(definition, code), code).toBe(true);
  });

  it('refuse a code the operation does not document', () => {
    expect(declaresError(definition, 'NotFound.Key')).toBe(false);
    expect(declaresError(definition, 'Throttling.HsmSessionsBusy')).toBe(false);
  });

  it('name a busy token only for operations that wait for a pooled session', () => {
    const busy = OPERATION_NAMES.filter((op) => TOKEN_SESSION_ERRORS.every((code) => declaresError(contract[op], code)));
    expect(busy).toEqual(expect.arrayContaining(['Encrypt', 'Decrypt', 'AsymmetricSign', 'CreateKey', 'GetSecretValue', 'VerifyKeyStoreMaterial']));
    // Registry-only operations and logins (the anchor session) never wait for one; ConnectKeyStore
    // does for an external key store (its proxy credential is opened in the default store's HSM).
    expect(busy).toContain('ConnectKeyStore');
    for (const op of ['ListKeys', 'DescribeKey', 'ListAliases', 'UnlockKeyStore'] as const) expect(busy, op).not.toContain(op);
  });

  it('are what the R1 tally checks: an undeclared code is reported once per operation', () => {
    const observed = new ObservedCodes();
    observed.addOutcome('DescribeKey', { ok: false, error: { Code: 'NotFound.Key', Message: 'x', RequestId: 'r' } });
    observed.addOutcome('DescribeKey', { ok: false, error: { Code: 'InvalidParameter', Message: 'x', RequestId: 'r' } });
    observed.addOutcome('DescribeKey', { ok: true, output: {} });
    observed.add('NoSuchOperation', 'InvalidAction');
    expect(observed.undeclared()).toEqual([]);
    observed.add('DescribeKey', 'Forbidden.SecretState');
    observed.add('DescribeKey', 'Forbidden.SecretState');
    observed.add('NoSuchOperation', 'NotFound.Key');
    expect(observed.undeclared()).toEqual(['(unknown operation): NotFound.Key', 'DescribeKey: Forbidden.SecretState']);
    expect(observed.size).toBe(5);
  });
});
