import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { mariadbUrlUnderTest } from '../db/support/dialects-under-test.js';
import {
  dropMariadbDatabase,
  makeMariadbTemplate,
  type MariadbTemplate,
} from '../db/support/mariadb-template.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated MariaDB database the integration tests' namespaces are copied from. */
    mariadbTemplate: MariadbTemplate | undefined;
  }
}

/**
 * Once per run of the integration project: migrates one MariaDB database that every
 * `createNamespace({ migrated: true })` copies (a copy takes under 1 s, migrating 2–6 s, and
 * nearly every file of the project makes one or two). Dropped when the run ends.
 */
export default async function setup(project: TestProject) {
  const url = mariadbUrlUnderTest();
  if (!url) {
    project.provide('mariadbTemplate', undefined);
    return;
  }
  const database = `wgf_template${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    project.provide('mariadbTemplate', await makeMariadbTemplate(url, database));
  } catch (err) {
    await dropMariadbDatabase(url, database);
    throw err;
  }
  return () => dropMariadbDatabase(url, database);
}
