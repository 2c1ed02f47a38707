import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLE = join(ROOT, 'dist/bundle/wgfleet.js');

/** The newest modification time under `dir` (ms), files and folders (a deleted file touches its folder). */
function newestUnder(dir: string): number {
  let newest = statSync(dir).mtimeMs;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when the bundle exists and was built after the last change under src/. */
export function bundleIsFresh(): boolean {
  let built: number;
  try {
    built = statSync(BUNDLE).mtimeMs;
  } catch {
    return false;
  }
  return built >= newestUnder(join(ROOT, 'src'));
}

/** The lab's `wgfleet` command (see CLI_COMMAND in agent-process.ts). */
export function chooseCliCommand(
  choice: string | undefined,
  source: readonly string[],
  shipped: readonly string[],
): readonly string[] {
  if (choice === 'source') return source;
  if (choice === 'bundle') return shipped;
  if (choice) throw new Error(`WGFLEET_TEST_CLI must be source or bundle, got "${choice}"`);
  return bundleIsFresh() ? shipped : source;
}
