/**
 * Generates malformed inputs for every operation of the contract, from its zod input schema, so a
 * new operation is covered the day it lands. Each case is plain data plus how it was made.
 */
import type { z } from 'zod';
import { contract, OPERATION_NAMES, type OperationName } from '../../../../shared/contract';
import type { Random } from './random';

export type CaseKind =
  | 'wrong-type'
  | 'missing'
  | 'extra'
  | 'huge-string'
  | 'huge-array'
  | 'bad-base64'
  | 'unicode'
  | 'prototype-pollution'
  | 'wrong-id'
  | 'whole-input'
  | 'deep-nesting'
  | 'bad-operation'
  | 'tampered-blob'
  | 'hostile-script';

export interface HostileCase {
  op: string;
  input: unknown;
  kind: CaseKind;
}

/** What the generator may use from the live installation: existing ids, secret names and a real ciphertext. */
export interface FuzzWorld {
  keyIds: string[];
  ciphertextBlob: string;
  /** Names of existing secrets: plausible for every secret operation, and the "wrong" (taken) name for CreateSecret. */
  secretNames: string[];
}

const WRONG_VALUES: readonly unknown[] = [
  null, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, true, false, '', ' ', '0', 'null', 'undefined',
  [], [null], [[]], {}, { a: 1 }, 'true', '1e9999', '-0', '[object Object]',
];

const BAD_BASE64: readonly string[] = [
  'A', 'AA', 'AAA', '====', 'A===', 'AA=A', 'QUJD\n', ' QUJD', 'QUJD ', 'QU JD', '-_-_', 'QUJD-_', 'QQ', 'QQ=', 'QR==',
  'QUJD====', '\u0000AAA', 'AAAA\u0000', 'ＡＡＡＡ', '%41%41', 'data:;base64,QUJD', 'QUJDRA', '*', '////', '++++', 'QUJD\r\n',
];

const UNICODE_TRICKS: readonly string[] = [
  '\u0000', 'a\u0000b', '\uD800', '\uDFFF', 'x\uD800y', '\u202Ealias/evil', '\u200B', '\uFEFFkey', 'e\u0301', '\u00E9',
  'ａｌｉａｓ/x', 'alias/\u0000x', 'alias/é', 'alias/x\u2028y', '\u{1F600}', 'kst-default\u200B', 'kst-default ', 'KST-DEFAULT',
  'mod-softhsm2\u0000', '\u0085', '\u180E', 'İ', 'ß', '\u0130\u0131', '../../../etc/passwd', "' OR 1=1 --", '"; DROP TABLE keys; --',
  '%00', '${jndi:ldap://x}', '<script>alert(1)</script>', '\\\\?\\C:\\', '\x1b[31mred', 'alias/' + 'é'.repeat(300),
];

const STEP = { StepId: 'one', Title: 'One', Instructions: 'Do it.' };
const script = (fields: Record<string, unknown>): string => JSON.stringify({ Name: 'hostile', Title: 'Hostile', Roles: [{ Role: 'WITNESS', Count: 1 }], Steps: [STEP], ...fields });
const nested = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** Ceremony scripts ImportCeremonyScript must refuse (InvalidCeremonyScript), whole: malformed, hostile, huge. */
export const HOSTILE_SCRIPTS: ReadonlyArray<() => string> = [
  () => '{"Name": "hostile", "Steps": [',
  () => 'null',
  () => '[]',
  () => '"a script"',
  () => script({ Steps: [{ ...STEP, Input: { Deep: JSON.parse(nested(40)) as unknown } }] }),
  () => nested(5_000),
  () => `{"Name":"hostile","Title":"${'x'.repeat(120_000)}","Roles":[{"Role":"WITNESS","Count":1}],"Steps":[]}`,
  () => script({ Steps: Array.from({ length: 65 }, (_, i) => ({ ...STEP, StepId: `s${i}` })) }),
  () => script({ Steps: Array.from({ length: 64 }, (_, i) => ({ ...STEP, StepId: `s${i}`, Instructions: 'I'.repeat(2_000) })) }),
  () => `{"__proto__": {"polluted": "yes"}, ${script({}).slice(1)}`,
  () => script({ Steps: [{ ...STEP, Operation: 'CreateKey', Input: { constructor: { prototype: { polluted: 'yes' } } } }] }),
  () => script({ Steps: [{ ...STEP, Operation: 'NoSuchOperation' }] }),
  () => script({ Steps: [{ ...STEP, Operation: 'CreateBackup' }] }),
  () => script({ Steps: [{ ...STEP, Operation: 'RunCeremonyStep' }] }),
  () => script({ Steps: [{ ...STEP, Operation: 'CreateKey', Input: { Description: '${secret:Pin}' }, Parameters: [{ Name: 'Pin', Label: 'PIN', Secret: true }] }] }),
  () => script({ Steps: [{ ...STEP, Operation: 'CreateKey', Input: { Description: '${Undeclared}' } }] }),
  () => script({ Steps: [{ ...STEP, Operation: 'CreateKey', Input: { Description: '${steps.later.KeyId}' } }, { ...STEP, StepId: 'later' }] }),
  () => script({ Steps: [STEP, STEP] }),
  () => script({ Steps: [{ ...STEP, Input: { KeySpec: 'Aliyun_AES_256' } }] }),
  () => script({ Name: '../../etc/passwd' }),
  () => script({ Title: '\u0000\u202E', Steps: [{ ...STEP, StepId: 'ONE' }] }),
];

const PROTO_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

const BAD_OPERATIONS: readonly unknown[] = [
  '', ' ', 'encrypt', 'ENCRYPT', 'Encrypt ', 'Encrypt\u0000', '__proto__', 'constructor', 'toString', 'hasOwnProperty',
  'prototype', 'valueOf', 'Encrypt/../Decrypt', 'A'.repeat(10_000), null, 42, true, [], {}, ['Encrypt'], '\uD800',
];

type Def = { type: string; innerType?: z.ZodType; entries?: Record<string, string>; element?: z.ZodType; shape?: Record<string, z.ZodType> };

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Unwraps optional/default/nullable wrappers. */
function core(schema: z.ZodType): Def {
  let def = defOf(schema);
  while ((def.type === 'optional' || def.type === 'default' || def.type === 'nullable') && def.innerType) def = defOf(def.innerType);
  return def;
}

export function shapeOf(op: OperationName): Record<string, z.ZodType> {
  return contract[op].input.shape;
}

const ID_FIELDS = new Set(['KeyId', 'KeyStoreId', 'ModuleId', 'KeyVersionId', 'ClusterId', 'HsmId', 'AliasName', 'TargetKeyId', 'SecretName']);
const BASE64_FIELDS = /^(Plaintext|CiphertextBlob|Digest|Value|Message|Mac|EncryptedKeyMaterial|ImportToken|SecretData)$/;

/** A plausible value for a field: mutations then make the input hostile. */
function plausible(field: string, schema: z.ZodType, random: Random, world: FuzzWorld): unknown {
  if (field === 'KeyId' || field === 'TargetKeyId' || field === 'EncryptionKeyId') return random.pick(world.keyIds);
  if (field === 'KeyStoreId') return 'kst-default';
  if (field === 'SecretName') return random.pick(world.secretNames);
  if (field === 'ModuleId') return 'mod-softhsm2';
  if (field === 'KeyVersionId') return random.uuid();
  if (field === 'CiphertextBlob') return world.ciphertextBlob;
  if (field === 'Digest') return random.bytes(32).toString('base64');
  if (BASE64_FIELDS.test(field)) return random.bytes(16).toString('base64');
  if (/Password|Pin/.test(field)) return 'Hostile7Passw0rd';
  const def = core(schema);
  switch (def.type) {
    case 'enum':
      return random.pick(Object.values(def.entries ?? { x: 'x' }));
    case 'number':
      return 1;
    case 'boolean':
      return random.next() < 0.5;
    case 'array':
      return [];
    case 'record':
      return {};
    case 'object':
      return {};
    default:
      return 'x';
  }
}

function plausibleInput(op: OperationName, random: Random, world: FuzzWorld): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [field, schema] of Object.entries(shapeOf(op))) input[field] = plausible(field, schema, random, world);
  return input;
}

/** Sets an own property even for `__proto__`, as JSON.parse would. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function deepObject(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
}

function tamperedBlob(random: Random, world: FuzzWorld): string {
  const blob = Buffer.from(world.ciphertextBlob, 'base64');
  switch (random.int(6)) {
    case 0: {
      const flipped = Buffer.from(blob);
      const index = random.int(flipped.length);
      flipped[index] = flipped[index]! ^ (1 << random.int(8));
      return flipped.toString('base64');
    }
    case 1:
      return blob.subarray(0, random.int(blob.length)).toString('base64') || 'AA==';
    case 2:
      return random.bytes(1 + random.int(200)).toString('base64');
    case 3:
      return Buffer.concat([blob, random.bytes(1 + random.int(64))]).toString('base64');
    case 4: {
      // Same header layout, the id of another (wrong-typed) key.
      const other = Buffer.from(blob);
      const id = Buffer.from(random.pick(world.keyIds).replace(/-/g, '').slice(0, 32).padEnd(32, '0'), 'hex');
      id.copy(other, 1 + random.int(4));
      return other.toString('base64');
    }
    default:
      return Buffer.alloc(blob.length).toString('base64');
  }
}

/** A wrong id; real key ids (a wrong *kind* of key) only for operations that change nothing, where they must fail on type. */
function wrongId(field: string, random: Random, world: FuzzWorld, mutates: boolean, op: OperationName): string {
  // Any free name is a right one for CreateSecret: its wrong id is a name that is taken.
  if (op === 'CreateSecret' && field === 'SecretName') return random.pick(world.secretNames);
  const options = [
    random.uuid(),
    random.uuid().toUpperCase(),
    `alias/does-not-exist-${random.int(1e6)}`,
    `acs:kms:cn-hangzhou:0000:key/${random.uuid()}`,
    `acs:kms:::alias/nope`,
    `${random.pick(world.keyIds)} `,
    ` ${random.pick(world.keyIds)}`,
    random.pick(world.keyIds).replace(/-/g, ''),
    'kst-' + random.uuid(),
    'mod-' + random.uuid(),
    "' OR '1'='1",
    '*',
    '%',
    '_',
  ];
  if (field === 'KeyId' && !mutates) return random.pick([...options, ...world.keyIds]);
  // An alias name nobody has is a wrong id for UpdateAlias or DeleteAlias, but a right one for CreateAlias.
  return random.pick(field === 'AliasName' && mutates ? options.filter((option) => !option.startsWith('alias/does-not-exist-')) : options);
}

/** One hostile case for `op`. */
export function hostileCase(op: OperationName, random: Random, world: FuzzWorld): HostileCase {
  const shape = shapeOf(op);
  const fields = Object.keys(shape);
  const input = plausibleInput(op, random, world);
  const field = fields.length > 0 ? random.pick(fields) : null;
  const kinds: CaseKind[] = ['wrong-type', 'missing', 'extra', 'huge-string', 'huge-array', 'bad-base64', 'unicode', 'prototype-pollution', 'wrong-id', 'whole-input', 'deep-nesting', 'bad-operation'];
  if (fields.includes('CiphertextBlob')) kinds.push('tampered-blob', 'tampered-blob');
  if (op === 'ImportCeremonyScript') kinds.push('hostile-script', 'hostile-script', 'hostile-script');
  const kind = random.pick(kinds);
  switch (kind) {
    case 'wrong-type':
      if (field) input[field] = random.pick(WRONG_VALUES);
      else setOwn(input, 'Unexpected', random.pick(WRONG_VALUES));
      break;
    case 'missing':
      if (field && random.next() < 0.7) delete input[field];
      else for (const name of fields) delete input[name];
      break;
    case 'extra':
      setOwn(input, random.pick(['Extra', 'keyid', 'KeyID', 'RequestId', 'Code', ...PROTO_KEYS]), random.pick(WRONG_VALUES));
      break;
    case 'huge-string':
      input[field ?? 'Huge'] = 'A'.repeat(random.pick([257, 4_097, 65_537, 300_000]));
      break;
    case 'huge-array':
      input[field ?? 'Huge'] = Array.from({ length: random.pick([11, 1_000, 100_000]) }, () => random.pick(['x', { Key: 'KeyState', Values: ['Enabled'] }, 1]));
      break;
    case 'bad-base64':
      input[field ?? 'Plaintext'] = random.pick(BAD_BASE64);
      break;
    case 'unicode':
      if (field && random.next() < 0.8) input[field] = random.pick(UNICODE_TRICKS);
      else setOwn(input, random.pick(UNICODE_TRICKS), 'x');
      break;
    case 'prototype-pollution': {
      const pollution = JSON.parse(random.pick([
        '{"__proto__": {"polluted": "yes"}}',
        '{"constructor": {"prototype": {"polluted": "yes"}}}',
        '{"__proto__": {"toString": "x", "KeyId": "alias/x"}}',
        '{"__proto__": null}',
      ])) as Record<string, unknown>;
      if (field && random.next() < 0.5) input[field] = pollution;
      else for (const key of Object.keys(pollution)) setOwn(input, key, pollution[key]);
      // Records (EncryptionContext) and filters: pollution in nested maps.
      const recordField = fields.find((name) => core(shape[name]!).type === 'record');
      if (recordField && random.next() < 0.6) input[recordField] = JSON.parse('{"__proto__": "x", "constructor": "y", "hasOwnProperty": "z"}');
      break;
    }
    case 'wrong-id': {
      const idFields = fields.filter((name) => ID_FIELDS.has(name));
      const mutates = contract[op].mutates;
      const idField = idFields.length > 0 ? random.pick(idFields) : null;
      if (idField) input[idField] = wrongId(idField, random, world, mutates, op);
      else setOwn(input, 'KeyId', wrongId('KeyId', random, world, mutates, op));
      break;
    }
    case 'whole-input':
      return { op, kind, input: random.pick([null, 42, 'text', [], [input], true, -1, '{}']) };
    case 'deep-nesting':
      input[field ?? 'Deep'] = deepObject(random.pick([64, 2_000, 20_000]));
      break;
    case 'bad-operation':
      return { op: random.pick(BAD_OPERATIONS) as string, kind, input };
    case 'tampered-blob':
      input.CiphertextBlob = tamperedBlob(random, world);
      break;
    case 'hostile-script':
      input.Script = random.pick(HOSTILE_SCRIPTS)();
      break;
  }
  return { op, kind, input };
}

/**
 * `count` cases spread round-robin over every operation. Cases that the schema would accept for a
 * state-changing operation are replaced (they could legitimately change state), except wrong ids,
 * which must fail with NotFound.
 */
export function hostileCases(count: number, random: Random, world: FuzzWorld): HostileCase[] {
  const cases: HostileCase[] = [];
  let index = 0;
  while (cases.length < count) {
    const op = OPERATION_NAMES[index % OPERATION_NAMES.length]!;
    index += 1;
    const candidate = hostileCase(op, random, world);
    if (mayChangeState(candidate)) continue;
    cases.push(candidate);
  }
  return cases;
}

export function mayChangeState(candidate: HostileCase): boolean {
  const name = candidate.op as OperationName;
  if (!Object.prototype.hasOwnProperty.call(contract, name)) return false;
  const definition = contract[name];
  if (!definition.mutates) return false;
  if (!definition.input.safeParse(candidate.input ?? {}).success) return false;
  // Every hostile script is one ImportCeremonyScript refuses: none can import.
  if (candidate.kind === 'hostile-script') return false;
  return candidate.kind !== 'wrong-id' || JSON.stringify(candidate.input).includes('kst-default"');
}
