import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { InstallLayout } from './layout.js';
import { agentUnit, PANEL_NODE_OPTIONS, panelUnit } from './systemd-unit.js';

const layout = (role: InstallLayout['role']): InstallLayout => ({
  role,
  unitName: `wgfleet-${role}.service`,
  unitPath: `/etc/systemd/system/wgfleet-${role}.service`,
  configDir: '/etc/wgfleet',
  configPath: `/etc/wgfleet/${role}.yaml`,
  envPath: role === 'panel' ? '/etc/wgfleet/panel.env' : null,
  dataDir: `/var/lib/wgfleet-${role}`,
  wgConfDir: role === 'agent' ? '/etc/wireguard' : null,
  user: role === 'panel' ? 'wgfleet' : 'root',
  exec: ['/usr/bin/node', '/opt/wgfleet/bin/wgfleet.js'],
});

const execStart = (unit: string) => unit.split('\n').find((l) => l.startsWith('ExecStart='));

describe('systemd units', () => {
  it("start the panel's node with its options before the script (node reads them there)", () => {
    expect(PANEL_NODE_OPTIONS.length).toBeGreaterThan(0);
    expect(execStart(panelUnit(layout('panel')))).toBe(
      `ExecStart=/usr/bin/node ${PANEL_NODE_OPTIONS.join(' ')} /opt/wgfleet/bin/wgfleet.js panel --config /etc/wgfleet/panel.yaml`,
    );
  });

  it("give the panel's node only options this node accepts", () => {
    const run = spawnSync(process.execPath, [...PANEL_NODE_OPTIONS, '-e', ''], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it("start the agent's node without them (its options are in NODE_OPTIONS)", () => {
    const unit = agentUnit(layout('agent'));
    expect(execStart(unit)).toBe(
      'ExecStart=/usr/bin/node /opt/wgfleet/bin/wgfleet.js agent --config /etc/wgfleet/agent.yaml',
    );
    expect(unit).toContain('Environment=NODE_OPTIONS=--max-semi-space-size=1\n');
  });
});
