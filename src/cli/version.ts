import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../shared/package-root.js';

/** The package version, read once from package.json. */
export const VERSION: string = (
  JSON.parse(readFileSync(path.join(packageRoot(import.meta.url), 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
