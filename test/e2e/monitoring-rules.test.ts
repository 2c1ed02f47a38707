// The alert rules and scrape example of deploy/monitoring, checked by promtool (Debian's
// prometheus package): the rules parse, their unit tests (tests/wgfleet-alerts.test.yml) pass,
// and the scrape config is valid Prometheus configuration.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, exec } from '../lab/index.js';
import { ExecError } from '../lab/exec.js';

const KIT = join(REPO_ROOT, 'deploy', 'monitoring');

async function promtool(args: string[]): Promise<string> {
  try {
    return await exec('promtool', args, { cwd: KIT, timeoutMs: 60_000 });
  } catch (e) {
    throw new Error(e instanceof ExecError ? `${e.stdout}${e.stderr}` : String(e));
  }
}

describe('deploy/monitoring through promtool', () => {
  it('checks the alert rules', async () => {
    expect(await promtool(['check', 'rules', 'wgfleet-alerts.yml'])).toMatch(/SUCCESS: 10 rules/);
  });

  it('passes the rules unit tests', async () => {
    expect(await promtool(['test', 'rules', 'tests/wgfleet-alerts.test.yml'])).toContain('SUCCESS');
  });

  it('checks the scrape configuration', async () => {
    expect(await promtool(['check', 'config', '--syntax-only', 'prometheus.yml'])).toContain(
      'SUCCESS',
    );
  });
});
