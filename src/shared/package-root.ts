import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = 'wgfleet';

/**
 * The folder of wgfleet's package.json, found by walking up from `from` (a module's
 * `import.meta.url`). The code runs from src/ (tsx), dist/ (tsc) and dist/bundle/ (the shipped
 * bundle) at different depths, so no fixed `../..` fits all three.
 */
export function packageRoot(from: string): string {
  let dir = path.dirname(fileURLToPath(from));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown };
      if (pkg.name === NAME) return dir;
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json of ${NAME} above ${from}`);
    dir = up;
  }
}
