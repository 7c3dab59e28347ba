import { statSync } from 'node:fs';
import path from 'node:path';
import type { KmsErrorBody } from '../../../shared/errors';
import type { FileExchange } from '../services/files/file-exchange';
import type { ParsedCommandLine } from './cli-arguments';
import { deliverFile, expectNewFileTarget, FileDeliveryError } from './file-delivery';

/** What the CLI needs of the core's file exchange. */
export type CliFiles = Pick<FileExchange, 'registerIncoming' | 'takeOutgoing' | 'release'>;

/** A file option that cannot be honoured: exit code 1, nothing run. */
export class CliFileError extends Error {
  constructor(readonly body: KmsErrorBody) {
    super(body.Message);
  }
}

/**
 * Readies --output and --input before the operation runs: the output path must name a new file in
 * an existing directory (so a backup is not made for nothing), and the input file is registered
 * with the exchange and named by the FileId the operation takes. Returns the output's absolute path.
 */
export function prepareFileOptions(parsed: ParsedCommandLine, files: CliFiles | undefined): string | null {
  if (parsed.inputFile === null && parsed.outputFile === null) return null;
  if (!files) throw new CliFileError(errorBody('InternalFailure', 'This kms has no file exchange for --input or --output.'));
  if (parsed.inputFile !== null) {
    const source = path.resolve(parsed.inputFile);
    if (!isRegularFile(source)) throw new CliFileError(errorBody('NotFound.File', `--input ${source}: no such file.`));
    // The officer's own file: the exchange reads it where it is and never deletes it.
    parsed.input.FileId = files.registerIncoming(source, false);
  }
  if (parsed.outputFile === null) return null;
  const target = path.resolve(parsed.outputFile);
  try {
    expectNewFileTarget(target);
  } catch (error) {
    throw asCliFileError(error);
  }
  return target;
}

/**
 * Moves the file an operation made (named by its result's BackupId) to --output, and returns the
 * output with the file's absolute path added. The made file leaves the exchange either way.
 */
export async function deliverOutput(output: unknown, target: string, files: CliFiles | undefined): Promise<Record<string, unknown>> {
  const result = output as Record<string, unknown>;
  const id = result.BackupId;
  const made = typeof id === 'string' ? (files?.takeOutgoing(id) ?? null) : null;
  if (!made) throw new CliFileError(errorBody('InternalFailure', 'The operation reported no file to deliver.'));
  try {
    await deliverFile(made.path, target, { overwrite: false });
  } catch (error) {
    const refused = asCliFileError(error);
    throw new CliFileError({ ...refused.body, Message: `${refused.body.Message} Backup ${id as string} was made but not saved: run the command again.` });
  } finally {
    files?.release(made.path);
  }
  return { ...result, File: target };
}

function asCliFileError(error: unknown): CliFileError {
  if (!(error instanceof FileDeliveryError)) throw error;
  return new CliFileError(errorBody(error.reason === 'WRITE_FAILED' ? 'InternalFailure' : 'InvalidParameter', `--output: ${error.message}`));
}

function errorBody(code: KmsErrorBody['Code'], message: string): KmsErrorBody {
  return { Code: code, Message: message, RequestId: '' };
}

function isRegularFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
