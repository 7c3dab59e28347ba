import Database from 'better-sqlite3';

/**
 * Errors the registry raises. Services map them to contract error codes; they never need to know
 * SQLite's own error codes, so the storage engine stays an implementation detail of this layer.
 */
export class RegistryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The database was written by a newer Keyward (a downgrade); opening it could corrupt data this
 * build does not understand. The message is what the officer reads: what happened and what to do.
 */
export class SchemaTooNewError extends RegistryError {
  constructor(
    readonly databaseVersion: number,
    readonly supportedVersion: number,
  ) {
    super(
      `This data directory was last used by a newer Keyward (registry schema ${databaseVersion}); this Keyward reads schemas up to ${supportedVersion}. ` +
        'Nothing was changed. Install the newer Keyward again, or use a backup made with this version.',
    );
  }
}

export type ConstraintKind = 'unique' | 'foreignKey' | 'check' | 'notNull' | 'other';

/**
 * A write broke a table constraint: duplicate id or alias (`unique`), a reference to a missing row
 * or deleting a row still referenced (`foreignKey`), or a value outside an allowed set (`check`).
 */
export class RegistryConstraintError extends RegistryError {
  constructor(
    readonly kind: ConstraintKind,
    message: string,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

/** `append` was given details with a secret-looking key; the whole write is refused. */
export class AuditSecretError extends RegistryError {
  constructor(readonly offendingKey: string) {
    super(`audit details must not contain secrets (key "${offendingKey}")`);
  }
}

/** The buffered usage writer cannot reach the database and its queue is full: fail the crypto call rather than lose its record. */
export class AuditBacklogFullError extends RegistryError {
  constructor(readonly queued: number) {
    super(`audit usage queue is full (${queued} records not yet written)`);
  }
}

/** The buffered usage writer was closed; late records would otherwise be dropped silently. */
export class AuditWriterClosedError extends RegistryError {
  constructor() {
    super('audit usage writer is closed');
  }
}

const CONSTRAINT_KINDS: Record<string, ConstraintKind> = {
  SQLITE_CONSTRAINT_PRIMARYKEY: 'unique',
  SQLITE_CONSTRAINT_UNIQUE: 'unique',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'foreignKey',
  SQLITE_CONSTRAINT_CHECK: 'check',
  SQLITE_CONSTRAINT_NOTNULL: 'notNull',
};

/** Runs `fn`, turning SQLite constraint failures into RegistryConstraintError; anything else passes through. */
export function translateConstraint<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof Database.SqliteError && error.code.startsWith('SQLITE_CONSTRAINT')) {
      throw new RegistryConstraintError(CONSTRAINT_KINDS[error.code] ?? 'other', error.message, error);
    }
    throw error;
  }
}
