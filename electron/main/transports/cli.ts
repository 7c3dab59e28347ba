import type { CallOutcome } from '../../../shared/bridge';
import { contract, isOperationName, OPERATION_NAMES } from '../../../shared/contract';
import type { KmsErrorBody } from '../../../shared/errors';
import { CommandLineError, parseCommandLine, type ParsedCommandLine } from './cli-arguments';
import { CliFileError, deliverOutput, prepareFileOptions, type CliFiles } from './cli-files';
import { isJsonSecretField, isValueField, jsonSecretFromBytes, readFileBytes, readLimit, secretFromBytes, SecretInputError, type StdinReader } from './cli-secret-input';
import type { Dispatch } from './dispatcher';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Reads standard input when it is not a terminal, up to `limit` bytes; null when there is none. */
  readStdin: StdinReader;
}

export interface CliCore {
  dispatch: Dispatch;
  /** Where --output takes a made file from and --input registers the file to read (kms always has it). */
  files?: CliFiles;
  close(): Promise<void>;
}

/**
 * Operations that manage the default key store session themselves, and RestoreBackup: it needs a
 * data directory that nothing was set up in, so the exported password must not initialize one first.
 */
const SESSION_OPERATIONS = new Set(['InitializeDefaultKeyStore', 'ConnectKeyStore', 'DisconnectKeyStore', 'RestoreBackup']);

export const DEFAULT_PASSWORD_VARIABLE = 'KMS_DEFAULT_KEYSTORE_PASSWORD';
/** The kmsuser password the CLI connects the HSM cluster key stores with (a connection lasts one process). */
export const CLUSTER_PASSWORD_VARIABLE = 'KMS_CLUSTER_KEYSTORE_PASSWORD';

/**
 * Moves the variables this command reads secrets from (the two key store passwords, --pin-env,
 * --secret-env) out of `env` into a record of their own. Called on process.env before the core
 * starts: whatever the process starts later (HSM workers, helpers) cannot inherit them, and
 * nothing in this process reads them from the environment again.
 */
export function takeSecretVariables(parsed: ParsedCommandLine, env: NodeJS.ProcessEnv): Record<string, string> {
  const names = [DEFAULT_PASSWORD_VARIABLE, CLUSTER_PASSWORD_VARIABLE, ...(parsed.pinEnv ? [parsed.pinEnv] : []), ...parsed.secretEnv.map(({ variable }) => variable)];
  const taken: Record<string, string> = {};
  for (const name of names) {
    const value = env[name];
    if (value !== undefined) taken[name] = value;
    delete env[name];
  }
  return taken;
}

/** Parses argv before the core opens anything, so a usage error touches no data directory. */
export function parseCliArguments(argv: readonly string[], io: CliIo): ParsedCommandLine | number {
  try {
    const parsed = parseCommandLine(argv);
    if (parsed.help) {
      io.stdout(usage(parsed.operation));
      return 0;
    }
    return parsed;
  } catch (error) {
    if (error instanceof CommandLineError) {
      io.stderr(JSON.stringify({ Code: 'InvalidParameter', Message: error.message, RequestId: '' }) + '\n');
      return 2;
    }
    throw error;
  }
}

/**
 * The `kms` binding of the catalogue: one operation per process, output JSON on stdout, errors
 * `{Code, Message, RequestId}` on stderr with exit code 1.
 */
export async function runCliOperation(parsed: ParsedCommandLine, core: CliCore, io: CliIo): Promise<number> {
  const unset = parsed.secretEnv.find(({ variable }) => !io.env[variable]);
  if (unset) {
    io.stderr(JSON.stringify({ Code: 'MissingParameter', Message: `--secret-env: environment variable ${unset.variable} is not set or empty.`, RequestId: '' }) + '\n');
    return 2;
  }
  for (const { field, variable } of parsed.secretEnv) {
    const value = io.env[variable] ?? '';
    parsed.input[field] = isJsonSecretField(field) ? jsonSecretFromBytes(field, Buffer.from(value, 'utf8')) : value;
  }
  try {
    await readSecretFiles(parsed, io);
    await fillSecretFields(parsed, io);
  } catch (error) {
    if (!(error instanceof SecretInputError)) throw error;
    io.stderr(JSON.stringify({ Code: 'InvalidParameter', Message: error.message, RequestId: '' }) + '\n');
    return 2;
  }
  let outputFile: string | null;
  try {
    outputFile = prepareFileOptions(parsed, core.files);
  } catch (error) {
    if (!(error instanceof CliFileError)) throw error;
    return printOutcome({ ok: false, error: error.body }, io);
  }

  const defaultPassword = io.env[DEFAULT_PASSWORD_VARIABLE];
  const clusterPassword = io.env[CLUSTER_PASSWORD_VARIABLE];
  if ((defaultPassword || clusterPassword) && !SESSION_OPERATIONS.has(parsed.operation)) {
    // One look at the key stores serves every store this process opens.
    const described = await core.dispatch('DescribeKeyStores', {}, { transport: 'cli' });
    if (!described.ok) return printOutcome(described, io);
    const stores = (described.output as { KeyStores: StoreSummary[] }).KeyStores;
    if (defaultPassword) {
      const opened = await openDefaultKeyStore(core.dispatch, stores, defaultPassword);
      if (!opened.ok) return printOutcome(opened, io);
      await openExternalKeyStores(core.dispatch, stores);
    }
    if (clusterPassword) {
      const opened = await openClusterKeyStores(core.dispatch, stores, clusterPassword);
      if (!opened.ok) return printOutcome(opened, io);
    }
  }
  const outcome = await core.dispatch(parsed.operation, parsed.input, { transport: 'cli' });
  if (!outcome.ok || outputFile === null) return printOutcome(outcome, io);
  try {
    return printOutcome({ ok: true, output: await deliverOutput(outcome.output, outputFile, core.files) }, io);
  } catch (error) {
    if (!(error instanceof CliFileError)) throw error;
    return printOutcome({ ok: false, error: { ...error.body, RequestId: requestIdOf(outcome.output) } }, io);
  }
}

function requestIdOf(output: unknown): string {
  const id = (output as { RequestId?: unknown }).RequestId;
  return typeof id === 'string' ? id : '';
}

function printOutcome(outcome: CallOutcome, io: CliIo): number {
  if (outcome.ok) {
    io.stdout(JSON.stringify(outcome.output, null, 2) + '\n');
    return 0;
  }
  io.stderr(JSON.stringify(outcome.error satisfies KmsErrorBody) + '\n');
  return 1;
}

/** `--secret-file Field=PATH`: the field from a file, or (PATH `-`) from all of standard input. */
async function readSecretFiles(parsed: ParsedCommandLine, io: CliIo): Promise<void> {
  for (const { field, path } of parsed.secretFiles) {
    const limit = readLimit(field);
    const bytes = path === '-' ? await io.readStdin(limit) : await readFileBytes(path, limit, field);
    if (bytes === null) throw new SecretInputError(`--secret-file ${field}=-: there is no standard input to read.`);
    parsed.input[field] = isJsonSecretField(field) ? jsonSecretFromBytes(field, bytes) : secretFromBytes(field, bytes, parsed.input.SecretDataType);
  }
}

/**
 * Secrets may come from `--secret-env Field=NAME`, `--secret-file Field=PATH`, `--pin-env NAME`
 * (every secret field not given otherwise) or standard input, so they stay out of the process
 * list and the shell history. From standard input a password is its first line, a secret value
 * (SecretData) everything.
 */
async function fillSecretFields(parsed: ParsedCommandLine, io: CliIo): Promise<void> {
  if (!isOperationName(parsed.operation)) return;
  // A JSON secret (a credential object) comes only from its own --secret-file, never from a password line.
  const missing = contract[parsed.operation].secretFields.filter((field) => parsed.input[field] === undefined && !isJsonSecretField(field));
  const [first] = missing;
  if (first === undefined) return;
  if (parsed.pinEnv) {
    const secret = io.env[parsed.pinEnv];
    if (secret) for (const field of missing) parsed.input[field] = secret;
    return;
  }
  if (parsed.secretFiles.some(({ path }) => path === '-')) return; // standard input is taken
  const bytes = await io.readStdin(readLimit(first));
  if (bytes === null || bytes.length === 0) return;
  const secret = secretFromBytes(first, bytes, parsed.input.SecretDataType);
  if (secret === '') return;
  // A value (SecretData) is never shared with another field; passwords of one operation are one line.
  for (const field of isValueField(first) ? [first] : missing.filter((name) => !isValueField(name))) parsed.input[field] = secret;
}

/** What opening the key stores of a process needs to know of each. */
interface StoreSummary {
  KeyStoreId: string;
  KeyStoreType: string;
  Initialized: boolean;
  ConnectionState: string;
}

const NOTHING_TO_OPEN: CallOutcome = { ok: true, output: {} };

/** Unlocks the default key store for this process (first run creates it with that password). */
async function openDefaultKeyStore(dispatch: Dispatch, stores: readonly StoreSummary[], password: string): Promise<CallOutcome> {
  const store = stores.find((candidate) => candidate.KeyStoreType === 'DEFAULT');
  if (!store || store.ConnectionState === 'CONNECTED') return NOTHING_TO_OPEN;
  if (!store.Initialized) {
    return dispatch('InitializeDefaultKeyStore', { KeyStorePassword: password }, { transport: 'cli' });
  }
  return dispatch('ConnectKeyStore', { KeyStoreId: store.KeyStoreId, KeyStorePassword: password }, { transport: 'cli' });
}

/** Connects every HSM cluster key store of the data directory for this process. */
async function openClusterKeyStores(dispatch: Dispatch, stores: readonly StoreSummary[], password: string): Promise<CallOutcome> {
  for (const store of stores.filter((candidate) => candidate.KeyStoreType === 'HSM_CLUSTER' && candidate.ConnectionState !== 'CONNECTED')) {
    const connected = await dispatch('ConnectKeyStore', { KeyStoreId: store.KeyStoreId, KeyStorePassword: password }, { transport: 'cli' });
    if (!connected.ok) return connected;
  }
  return NOTHING_TO_OPEN;
}

/**
 * Connects the external key stores for this process: they need no password, only the default key
 * store (their proxy credential is sealed there). Best effort: a proxy that is away fails only the
 * calls that need it (its store stays FAILED in this process with the reason), not every command.
 */
async function openExternalKeyStores(dispatch: Dispatch, stores: readonly StoreSummary[]): Promise<void> {
  for (const store of stores.filter((candidate) => candidate.KeyStoreType === 'EXTERNAL_KEY_STORE' && candidate.ConnectionState !== 'CONNECTED')) {
    await dispatch('ConnectKeyStore', { KeyStoreId: store.KeyStoreId }, { transport: 'cli' });
  }
}

function usage(operation: string): string {
  if (isOperationName(operation)) {
    const definition = contract[operation];
    const shape: Record<string, unknown> = definition.input.shape;
    const fileParam = definition.file === 'produces' ? ['--output FILE'] : definition.file === 'consumes' ? ['--input FILE'] : [];
    // A FileId only means something inside one process: on the command line the file is --input.
    const params = [...Object.keys(shape).filter((name) => !(definition.file === 'consumes' && name === 'FileId')).map((name) => `--${name} <value>`), ...fileParam].join(' ');
    return `kms ${operation} ${params}\n\n${definition.summary}\n${fileNote(definition.file)}`;
  }
  return [
    'Usage: kms <Operation> [--Param value ...] [--cli-input-json JSON] [--data-dir DIR] [--pin-env NAME] [--secret-env Field=NAME ...] [--secret-file Field=PATH ...] [--output FILE | --input FILE]',
    '',
    'Files: an operation that makes a file (CreateBackup) writes it to --output FILE, a new file, never to standard output;',
    'one that reads a file (DescribeBackup, VerifyBackup, RestoreBackup) takes --input FILE. The output JSON names the file written ("File").',
    '',
    `Environment: KMS_DATA_DIR (data directory), ${DEFAULT_PASSWORD_VARIABLE} (unlocks the default key store).`,
    '',
    'Operations:',
    ...OPERATION_NAMES.map((name) => `  ${name.padEnd(28)} ${contract[name].summary}`),
    '',
  ].join('\n');
}

function fileNote(file: 'produces' | 'consumes' | undefined): string {
  if (file === 'produces') return '\n--output FILE (required): the new file to write (refused if it exists; mode 0600). Its path is added to the output as "File".\n';
  if (file === 'consumes') return '\n--input FILE (required): the file to read; it is neither moved nor deleted.\n';
  return '';
}
