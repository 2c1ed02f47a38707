import type { DialectName } from './dialects/sql-dialect.js';

/** A parsed database URL: which dialect, and where. */
export type DatabaseTarget =
  | { readonly dialect: 'sqlite'; readonly path: string }
  | {
      readonly dialect: 'postgres';
      readonly connectionString: string;
      readonly schema: string | undefined;
    }
  | { readonly dialect: 'mysql'; readonly uri: string };

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Parses a database URL:
 * - `sqlite:PATH` (a file; a leading `//` is dropped, so `sqlite:///var/lib/x.db` works too) or
 *   `sqlite::memory:`;
 * - `postgres://…` or `postgresql://…`, any libpq parameters, plus our `?schema=NAME`: the panel's
 *   tables live in that schema (created by the first migration run);
 * - `mysql://user:pass@host:port/database` (or `mariadb://…`).
 *
 * Throws an Error whose message never contains the password.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'sqlite') {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === '') throw new Error('sqlite database URL has no path: use sqlite:PATH');
    return { dialect: 'sqlite', path };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const parsed = parseNetworkUrl(url);
    const schema = parsed.searchParams.get('schema') ?? undefined;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
      throw new Error(`invalid schema name "${schema}": lower-case letters, digits and _ only`);
    }
    parsed.searchParams.delete('schema');
    return { dialect: 'postgres', connectionString: parsed.toString(), schema };
  }
  if (scheme === 'mysql' || scheme === 'mariadb') {
    const parsed = parseNetworkUrl(url);
    if (parsed.pathname.replace(/^\//, '') === '') {
      throw new Error(`mysql database URL names no database: ${redactDatabaseUrl(url)}`);
    }
    return { dialect: 'mysql', uri: `mysql:${parsed.toString().slice(parsed.protocol.length)}` };
  }
  throw new Error(
    `unsupported database URL ${redactDatabaseUrl(url)}: use sqlite:PATH, postgres://… or mysql://…`,
  );
}

/** The dialect a database URL selects, without validating the rest of it. */
export function dialectOfUrl(url: string): DialectName {
  return parseDatabaseUrl(url).dialect;
}

/** The URL with any password replaced by `***`, fit for logs and error messages. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):[^@/?#]*@/i, '$1:***@');
}

function parseNetworkUrl(url: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new Error(`malformed database URL: ${redactDatabaseUrl(url)}`);
  }
}
