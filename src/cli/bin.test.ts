import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = new URL('../../bin/wgfleet.js', import.meta.url).pathname;

// The installed command: bin/wgfleet.js runs the build that `npm ci` made (prepare → tsc).
describe('the wgfleet bin', () => {
  it('prints its commands after npm ci', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--help']);
    expect(stdout).toMatch(/agent \[options\]/);
    expect(stdout).toMatch(/panel \[options\]/);
    const version = await run(process.execPath, [BIN, '--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
