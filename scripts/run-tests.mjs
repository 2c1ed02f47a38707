#!/usr/bin/env node
// `npm test`: every test. The unit and integration tests (two files at a time) and the tests on
// real WireGuard (one file at a time) run side by side in two vitest processes — most of their
// time is waiting on databases, browsers and polls — then the tests that measure speeds and
// deadlines run alone (see vitest.config.ts). Each line is prefixed with its group. With
// arguments (`npm test -- test/e2e/panel-quota.test.ts`), one plain `vitest run` with them.
import { spawn } from 'node:child_process';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));

/** Runs `vitest run ARGS`, each output line prefixed with `tag`; resolves its exit code. */
function vitest(args, tag) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'run', ...args], {
      cwd: root,
      stdio: tag ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env: tag ? { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '0' } : process.env,
    });
    if (tag)
      for (const [from, to] of [
        [child.stdout, process.stdout],
        [child.stderr, process.stderr],
      ])
        createInterface({ input: from }).on('line', (line) => to.write(`[${tag}] ${line}\n`));
    child.on('error', (err) => {
      process.stderr.write(`[${tag ?? 'vitest'}] ${err.message}\n`);
      resolve(1);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const extra = process.argv.slice(2);
if (extra.length > 0) process.exit(await vitest(extra, null));

const started = Date.now();
const side = await Promise.all([
  vitest(['--project', 'unit', '--project', 'integration'], 'integration'),
  vitest(['--project', 'e2e'], 'e2e'),
]);
const alone = await vitest(['--project', 'alone'], 'alone');
const codes = [...side, alone];
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
process.stdout.write(
  `tests: ${codes.every((c) => c === 0) ? 'all passed' : 'FAILED'} (exit codes integration ${codes[0]}, e2e ${codes[1]}, alone ${codes[2]}) in ${minutes} min\n`,
);
process.exit(codes.find((c) => c !== 0) ?? 0);
