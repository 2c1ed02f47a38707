import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl, redactDatabaseUrl } from './database-url.js';

describe('parseDatabaseUrl', () => {
  it('reads SQLite paths, URL-style paths and :memory:', () => {
    expect(parseDatabaseUrl('sqlite:data/panel.db')).toEqual({
      dialect: 'sqlite',
      path: 'data/panel.db',
    });
    expect(parseDatabaseUrl('sqlite:/var/lib/wgfleet/panel.db')).toEqual({
      dialect: 'sqlite',
      path: '/var/lib/wgfleet/panel.db',
    });
    expect(parseDatabaseUrl('sqlite:///var/lib/wgfleet/panel.db')).toEqual({
      dialect: 'sqlite',
      path: '/var/lib/wgfleet/panel.db',
    });
    expect(parseDatabaseUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', path: ':memory:' });
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(/no path/);
  });

  it('takes the schema out of a PostgreSQL URL and keeps the rest', () => {
    expect(
      parseDatabaseUrl('postgresql://u:p@db:5432/panel?schema=wgfleet&sslmode=require'),
    ).toEqual({
      dialect: 'postgres',
      connectionString: 'postgresql://u:p@db:5432/panel?sslmode=require',
      schema: 'wgfleet',
    });
    expect(parseDatabaseUrl('postgres://db/panel')).toMatchObject({ schema: undefined });
    expect(() => parseDatabaseUrl('postgres://db/panel?schema=Robert%27)%3B')).toThrow(
      /schema name/,
    );
  });

  it('reads MySQL and MariaDB URLs, which must name a database', () => {
    expect(parseDatabaseUrl('mysql://root@127.0.0.1:3306/test')).toEqual({
      dialect: 'mysql',
      uri: 'mysql://root@127.0.0.1:3306/test',
    });
    expect(parseDatabaseUrl('mariadb://u:p@db/panel')).toEqual({
      dialect: 'mysql',
      uri: 'mysql://u:p@db/panel',
    });
    expect(() => parseDatabaseUrl('mysql://u:hunter2@db/')).toThrow(/names no database/);
  });

  it('never puts a password in an error message', () => {
    for (const url of [
      'mysql://u:hunter2@db/',
      'oracle://u:hunter2@db/x',
      'postgres://u:hunter2@[bad',
    ]) {
      expect(() => parseDatabaseUrl(url)).toThrow();
      try {
        parseDatabaseUrl(url);
      } catch (error) {
        expect(String(error)).not.toContain('hunter2');
      }
    }
  });
});

describe('redactDatabaseUrl', () => {
  it('hides the password only', () => {
    expect(redactDatabaseUrl('postgres://admin:s3cr%40t@db:5432/x')).toBe(
      'postgres://admin:***@db:5432/x',
    );
    expect(redactDatabaseUrl('mysql://root@db/x')).toBe('mysql://root@db/x');
    expect(redactDatabaseUrl('sqlite:/data/panel.db')).toBe('sqlite:/data/panel.db');
  });
});
