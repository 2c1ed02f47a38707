import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { InstallLayout } from './layout.js';
import { AGENT_NODE_FLAGS, agentUnit, PANEL_NODE_OPTIONS, panelUnit } from './systemd-unit.js';

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

  it("start the agent's node with its flags before the script too", () => {
    const unit = agentUnit(layout('agent'));
    expect(execStart(unit)).toBe(
      `ExecStart=/usr/bin/node ${AGENT_NODE_FLAGS.join(' ')} /opt/wgfleet/bin/wgfleet.js agent --config /etc/wgfleet/agent.yaml`,
    );
    expect(unit).not.toContain('NODE_OPTIONS');
  });

  it.each([
    ['panel', PANEL_NODE_OPTIONS],
    ['agent', AGENT_NODE_FLAGS],
  ])("give the %s's node only options this node accepts", (_, options) => {
    const run = spawnSync(process.execPath, [...options, '-e', ''], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
