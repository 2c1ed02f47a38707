/** The kinds of integrity errors the application may want to turn into a 4xx answer. */
export type ConstraintViolation = 'unique' | 'foreign_key' | 'check' | 'not_null';

/** Reads a string or number property of an unknown error, if present. */
export function errorProperty(error: unknown, key: string): string | number | undefined {
  if (typeof error !== 'object' || error === null || !(key in error)) return undefined;
  const value = (error as Record<string, unknown>)[key];
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

/** SQLite (better-sqlite3 extended result codes). */
export function sqliteConstraintViolation(error: unknown): ConstraintViolation | undefined {
  switch (errorProperty(error, 'code')) {
    case 'SQLITE_CONSTRAINT_UNIQUE':
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
      return 'unique';
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return 'foreign_key';
    case 'SQLITE_CONSTRAINT_CHECK':
      return 'check';
    case 'SQLITE_CONSTRAINT_NOTNULL':
      return 'not_null';
    default:
      return undefined;
  }
}

/** PostgreSQL (SQLSTATE class 23). */
export function postgresConstraintViolation(error: unknown): ConstraintViolation | undefined {
  switch (errorProperty(error, 'code')) {
    case '23505':
      return 'unique';
    case '23503':
      return 'foreign_key';
    case '23514':
      return 'check';
    case '23502':
      return 'not_null';
    default:
      return undefined;
  }
}

/** MySQL and MariaDB (server error numbers). */
export function mysqlConstraintViolation(error: unknown): ConstraintViolation | undefined {
  switch (errorProperty(error, 'errno')) {
    case 1062: // ER_DUP_ENTRY
      return 'unique';
    case 1451: // ER_ROW_IS_REFERENCED_2
    case 1452: // ER_NO_REFERENCED_ROW_2
      return 'foreign_key';
    case 3819: // MySQL ER_CHECK_CONSTRAINT_VIOLATED
    case 4025: // MariaDB ER_CONSTRAINT_FAILED
      return 'check';
    case 1048: // ER_BAD_NULL_ERROR
    case 1364: // ER_NO_DEFAULT_FOR_FIELD
      return 'not_null';
    default:
      return undefined;
  }
}
