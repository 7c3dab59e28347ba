import type { z } from 'zod';
import { contract, isOperationName, OPERATION_NAMES } from '../../../shared/contract';
import { echoableName } from './input-issues';
import { isJsonSecretField } from './cli-secret-input';

export interface ParsedCommandLine {
  operation: string;
  input: Record<string, unknown>;
  dataDir: string | null;
  pinEnv: string | null;
  /** `--secret-env Field=NAME`: one secret field from one environment variable. */
  secretEnv: { field: string; variable: string }[];
  /** `--secret-file Field=PATH`: one secret field from a file (`-`: all of standard input). */
  secretFiles: { field: string; path: string }[];
  /** `--output FILE`: where an operation that makes a file (CreateBackup) delivers it. */
  outputFile: string | null;
  /** `--input FILE`: the file an operation that reads one (VerifyBackup, RestoreBackup…) is given. */
  inputFile: string | null;
  help: boolean;
}

export class CommandLineError extends Error {}

/**
 * `kms <Operation> [--Param value ...] [--cli-input-json JSON] [--data-dir DIR] [--pin-env NAME]
 * [--secret-env Field=NAME ...] [--secret-file Field=PATH ...] [--output FILE | --input FILE]`.
 * Values are typed by the operation's schema (numbers, booleans, JSON for arrays and objects), so
 * `--Description 123` stays a string while `--PageSize 50` becomes a number.
 */
export function parseCommandLine(argv: readonly string[]): ParsedCommandLine {
  const result: ParsedCommandLine = {
    operation: '',
    input: {},
    dataDir: null,
    pinEnv: null,
    secretEnv: [],
    secretFiles: [],
    outputFile: null,
    inputFile: null,
    help: false,
  };
  const rest = [...argv];
  const first = rest.shift();
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    result.help = true;
    return result;
  }
  result.operation = first;
  const shape: Record<string, z.ZodType> = isOperationName(first) ? contract[first].input.shape : {};

  while (rest.length > 0) {
    const flag = rest.shift() as string;
    if (flag === '--help' || flag === '-h') {
      result.help = true;
      continue;
    }
    // The stray word is not echoed: a misplaced password would end up on the terminal and in logs.
    if (!flag.startsWith('--') || flag.length < 3) throw new CommandLineError('Expected --Param before each value; a bare value was found.');
    const name = flag.slice(2);
    const value = rest.shift();
    if (value === undefined) throw new CommandLineError(`--${name} needs a value.`);
    if (name === 'data-dir') result.dataDir = value;
    else if (name === 'pin-env') result.pinEnv = value;
    else if (name === 'secret-env') result.secretEnv.push(secretFromEnvironment(first, value));
    else if (name === 'secret-file') result.secretFiles.push(secretFromFile(first, value));
    else if (name === 'output') result.outputFile = value;
    else if (name === 'input') result.inputFile = value;
    else if (name === 'cli-input-json') copyOwnFields(result.input, refuseWordOnlySecrets(first, parseJsonObject(value)));
    else setOwnField(result.input, refuseWordOnlySecret(first, name), convertValue(name, value, parameterSchema(first, shape, name)));
  }
  const fields = [...result.secretEnv, ...result.secretFiles].map(({ field }) => field);
  if (new Set(fields).size !== fields.length) throw new CommandLineError('A secret field is given twice (--secret-env, --secret-file).');
  if (result.secretFiles.filter(({ path }) => path === '-').length > 1) throw new CommandLineError('Only one --secret-file can read standard input (-).');
  if (!result.help) expectFileOptions(result);
  return result;
}

/**
 * An operation that makes a file needs --output (a backup is never written to standard output), one
 * that reads a file needs --input (or a FileId), and no other operation takes either. Checked here,
 * before the core opens the data directory, so a forgotten --output costs nothing.
 */
function expectFileOptions(parsed: ParsedCommandLine): void {
  const { operation } = parsed;
  const file = isOperationName(operation) ? contract[operation].file : undefined;
  if (parsed.outputFile !== null && file !== 'produces') {
    throw new CommandLineError(`--output is only for operations that make a file (${operationsWithFile('produces')}); ${echoableName(operation)} makes none.`);
  }
  if (parsed.inputFile !== null && file !== 'consumes') {
    throw new CommandLineError(`--input is only for operations that read a file (${operationsWithFile('consumes')}); ${echoableName(operation)} reads none.`);
  }
  if (file === 'produces' && parsed.outputFile === null) {
    throw new CommandLineError(`${operation} writes a file: give --output FILE (a new file; it is never written to standard output).`);
  }
  if (file === 'consumes') {
    const hasFileId = Object.hasOwn(parsed.input, 'FileId');
    if (parsed.inputFile === null && !hasFileId) throw new CommandLineError(`${operation} reads a file: give --input FILE.`);
    if (parsed.inputFile !== null && hasFileId) throw new CommandLineError(`${operation}: give --input FILE or --FileId, not both.`);
  }
}

function operationsWithFile(kind: 'produces' | 'consumes'): string {
  return OPERATION_NAMES.filter((name) => contract[name].file === kind).join(', ');
}

/**
 * Fields whose values must never be a command-line word (the process list and the shell history
 * would show them): a secret value is read from a file, standard input or the environment.
 */
const NEVER_ON_THE_COMMAND_LINE = new Set(['SecretData', 'XksProxyAuthenticationCredential', 'Secrets']);

/** Operations whose secret protects a file handed out (CreateClientKey's PKCS#12). */
const PROTECTS_A_FILE_HANDED_OUT = new Set<string>(['CreateClientKey']);

/**
 * So are the secret fields of operations on backup files and of those handing out a protected file:
 * such a password guards a file that may travel anywhere for years, far longer than a process list
 * or a shell history lives.
 */
function neverAWord(operation: string, name: string): boolean {
  if (NEVER_ON_THE_COMMAND_LINE.has(name)) return true;
  if (!isOperationName(operation)) return false;
  const secrets: readonly string[] = contract[operation].secretFields;
  if (!secrets.includes(name)) return false;
  return contract[operation].file !== undefined || PROTECTS_A_FILE_HANDED_OUT.has(operation);
}

function refuseWordOnlySecret(operation: string, name: string): string {
  if (neverAWord(operation, name)) {
    const alsoFrom = isJsonSecretField(name) ? '' : ', on standard input,';
    throw new CommandLineError(
      `${name} is never taken from the command line: give it with --secret-file ${name}=PATH (- for standard input)${alsoFrom} or with --secret-env ${name}=VARIABLE.`,
    );
  }
  return name;
}

function refuseWordOnlySecrets(operation: string, input: Record<string, unknown>): Record<string, unknown> {
  for (const name of Object.keys(input)) refuseWordOnlySecret(operation, name);
  return input;
}

/**
 * The schema of `--name`, looked up as an own property: `shape.constructor` or `shape.toString`
 * would be Object's own functions. A name the operation does not have is a usage error (exit 2);
 * for an unknown operation the dispatcher answers InvalidAction.
 */
function parameterSchema(operation: string, shape: Record<string, z.ZodType>, name: string): z.ZodType | undefined {
  if (!isOperationName(operation)) return undefined;
  if (!Object.hasOwn(shape, name)) {
    const known = Object.keys(shape).map((key) => `--${key}`);
    throw new CommandLineError(`${operation} has no parameter --${echoableName(name)} (its parameters: ${known.join(' ') || 'none'}).`);
  }
  return shape[name];
}

function setOwnField(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const SECRET_ENV = /^([A-Za-z]{1,64})=([A-Za-z_][A-Za-z0-9_]{0,127})$/;
const SECRET_FILE = /^([A-Za-z]{1,64})=([^\0]{1,4096})$/;

/**
 * Operations with two secrets (JoinHsm: SoPin and KeyStorePassword) take each from its own
 * variable. The value is never echoed: a password typed in its place must not reach the terminal.
 */
function secretFromEnvironment(operation: string, value: string): { field: string; variable: string } {
  const match = SECRET_ENV.exec(value);
  if (!match?.[1] || !match[2]) throw new CommandLineError('--secret-env takes Field=ENVIRONMENT_VARIABLE.');
  return { field: secretField(operation, match[1], '--secret-env'), variable: match[2] };
}

/** `--secret-file Field=PATH`; the path is not echoed either (a value typed in its place would be). */
function secretFromFile(operation: string, value: string): { field: string; path: string } {
  const match = SECRET_FILE.exec(value);
  if (!match?.[1] || !match[2]) throw new CommandLineError('--secret-file takes Field=PATH (PATH - reads standard input).');
  return { field: secretField(operation, match[1], '--secret-file'), path: match[2] };
}

function secretField(operation: string, field: string, option: string): string {
  const secrets: readonly string[] = isOperationName(operation) ? contract[operation].secretFields : [];
  if (!secrets.includes(field)) {
    throw new CommandLineError(`${option} names a field that is not a secret of ${isOperationName(operation) ? operation : 'this operation'} (its secret fields: ${secrets.join(', ') || 'none'}).`);
  }
  return field;
}

/**
 * Copies fields as own properties. Not Object.assign: it would run the `__proto__` setter for a
 * JSON key "__proto__" and make the attacker's object the prototype, whose fields a schema then
 * reads as if they had been given.
 */
function copyOwnFields(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) setOwnField(target, key, value);
}

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CommandLineError('--cli-input-json is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CommandLineError('--cli-input-json must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

function convertValue(name: string, value: string, schema: z.ZodType | undefined): unknown {
  switch (baseTypeOf(schema)) {
    case 'number': {
      const number = Number(value);
      return value.trim() === '' || Number.isNaN(number) ? value : number;
    }
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'union':
      // A union of object shapes (CreateOfficer's ApprovalKey) is JSON; a union of scalars stays text.
      if (!/^\s*[[{]/.test(value)) return value;
      return parseJsonValue(name, value);
    case 'array':
    case 'object':
    case 'record':
      return parseJsonValue(name, value);
    default:
      return value;
  }
}

function parseJsonValue(name: string, value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new CommandLineError(`--${name} must be JSON.`);
  }
}

interface SchemaWithDef {
  def: { type: string; innerType?: SchemaWithDef; in?: SchemaWithDef };
}

/** The zod type under optional/default/nullable/pipe wrappers, e.g. 'number' or 'string'. */
function baseTypeOf(schema: z.ZodType | undefined): string {
  let current = schema as unknown as SchemaWithDef | undefined;
  for (let depth = 0; current && depth < 8; depth += 1) {
    const { type } = current.def;
    if (type === 'optional' || type === 'default' || type === 'nullable' || type === 'prefault') current = current.def.innerType;
    else if (type === 'pipe') current = current.def.in;
    else return type;
  }
  return 'unknown';
}
