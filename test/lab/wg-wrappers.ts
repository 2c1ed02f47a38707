import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** `wg` and `wg-quick` stand-ins that log each invocation, for `--wg-bin`/`--wg-quick-bin`. */
export interface WgWrappers {
  /** Path of the `wg` wrapper. */
  readonly wg: string;
  /** Path of the `wg-quick` wrapper. */
  readonly wgQuick: string;
  /** The log: one line per invocation, `wg ARGS…` or `wg-quick ARGS…`. */
  readonly log: string;
  /** Invocation lines so far. */
  calls(): Promise<string[]>;
  /**
   * From now on `program` fails (exit 1) printing `stderr` instead of running the real one;
   * `null` restores it. For the agent's 502 path and the redaction of what a tool prints.
   */
  failWith(program: 'wg' | 'wg-quick', stderr: string | null): Promise<void>;
}

const script = (dir: string, log: string, name: string, real: string) =>
  [
    '#!/bin/sh',
    `# Test wrapper: log the call, then run the real ${name} with the same arguments`,
    '# (or fail, printing the contents of the fail file, while that file exists).',
    `printf '%s\\n' "${name} $*" >> '${log}'`,
    `if [ -f '${dir}/fail-${name}' ]; then cat '${dir}/fail-${name}' >&2; exit 1; fi`,
    `exec ${real} "$@"`,
    '',
  ].join('\n');

/**
 * Writes the wrappers into a fresh folder under `parentDir` (e.g. the lab's `dir`). They `exec`
 * the real `/usr/bin/wg` and `/usr/bin/wg-quick`, so the agent behaves as usual while the log
 * proves which processes it spawned (and that bad input spawned none).
 */
export async function createWgWrappers(
  parentDir: string,
  real = { wg: '/usr/bin/wg', wgQuick: '/usr/bin/wg-quick' },
): Promise<WgWrappers> {
  const dir = await mkdtemp(join(parentDir, 'wg-wrappers-'));
  if (/['\\]/.test(dir)) throw new Error(`unsafe folder for a wrapper: ${dir}`);
  const log = join(dir, 'calls.log');
  await writeFile(log, '', { mode: 0o600 });
  const wg = join(dir, 'wg');
  const wgQuick = join(dir, 'wg-quick');
  await writeFile(wg, script(dir, log, 'wg', real.wg), { mode: 0o700 });
  await writeFile(wgQuick, script(dir, log, 'wg-quick', real.wgQuick), { mode: 0o700 });
  await chmod(wg, 0o700);
  await chmod(wgQuick, 0o700);
  return {
    wg,
    wgQuick,
    log,
    async calls() {
      const text = await readFile(log, 'utf8');
      return text.split('\n').filter((l) => l !== '');
    },
    async failWith(program, stderr) {
      const flag = join(dir, `fail-${program}`);
      if (stderr === null) await rm(flag, { force: true });
      else await writeFile(flag, `${stderr}\n`, { mode: 0o600 });
    },
  };
}
