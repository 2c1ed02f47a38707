// The panel's database adapter: schema types, dialects, migrations. See README.md.
export { openDatabase, connectDatabase } from './open-database.js';
export { pingDatabase } from './ping.js';
export type {
  ConnectDatabaseOptions,
  DatabaseHandle,
  OpenDatabaseOptions,
  QueryLogEvent,
} from './open-database.js';
export type { SecretCipher } from './secrets/secret-cipher.js';
export { isSealed, SecretUnreadableError } from './secrets/secret-cipher.js';
export { createAesGcmCipher, SECRET_KEY_BYTES } from './secrets/aes-gcm-cipher.js';
export { sealClearSecrets, WrongSecretKeyError } from './secrets/seal-clear-secrets.js';
export { SecretKeyFileError } from './secrets/secret-key-file.js';
export {
  migrateToLatest,
  migrateTo,
  createMigrator,
  MigrationFailedError,
  MIGRATION_TABLE,
} from './migrate.js';
export { parseDatabaseUrl, redactDatabaseUrl, dialectOfUrl } from './database-url.js';
export type { DatabaseTarget } from './database-url.js';
export type { DialectName, SqlDialect, SqlDdl } from './dialects/sql-dialect.js';
export type { BusyClock } from './dialects/sqlite-kysely-dialect.js';
export type { ConstraintViolation } from './dialects/constraint-violation.js';
export type { SchemaMigration } from './migrations/schema-migration.js';
export { ALL_MIGRATIONS } from './migrations/all-migrations.js';
export { toBigInt, toBigIntOrNull, toSafeNumber } from './values.js';
export type { Database, TableWithId } from './schema/database.js';
export type * from './schema/nodes-table.js';
export type * from './schema/configurations-table.js';
export type * from './schema/peers-table.js';
export type * from './schema/auth-tables.js';
export type * from './schema/peer-events-table.js';
export * from './schema/usage-samples-table.js';
