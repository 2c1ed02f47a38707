// The monitoring kit against the real thing: Prometheus (Debian's /usr/bin/prometheus) runs the
// scrape jobs of deploy/monitoring/prometheus.yml — the panel with an API key as Bearer token, an
// agent with bearer_token_file and the node's own certificate as CA — and the alert rules of
// deploy/monitoring/wgfleet-alerts.yml, against a panel process and a lab agent. Every query of
// the Grafana dashboard is valid PromQL there; the agent is stopped and the node-down alerts fire.
// Only what a test cannot wait for changes: 1 s scrape and evaluation intervals, `for:` of 2 s.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  Lab,
  PanelProcess,
  PanelSession,
  freePort,
  REPO_ROOT,
  exec,
  startNodeAgent,
  waitFor,
  type NodeAgent,
} from '../lab/index.js';
import { ExecError } from '../lab/exec.js';

const KIT = join(REPO_ROOT, 'deploy', 'monitoring');
const PASSWORD = `monitoring-${process.pid}-password`;

interface ScrapeJob {
  job_name: string;
  bearer_token_file?: string;
  authorization?: { credentials_file?: string };
  tls_config?: { ca_file?: string; server_name?: string };
  static_configs: { targets: string[]; labels?: Record<string, string> }[];
}

/** Spawns a process; its output is kept for failure messages. */
function start(file: string, args: string[], env: NodeJS.ProcessEnv) {
  const proc = spawn(file, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  proc.stdout?.on('data', (b: Buffer) => out.push(b.toString()));
  proc.stderr?.on('data', (b: Buffer) => out.push(b.toString()));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return { proc, out, exited };
}

async function stop(p: { proc: ChildProcess; exited: Promise<void> } | undefined) {
  if (!p || p.proc.exitCode !== null || p.proc.signalCode !== null) return;
  p.proc.kill('SIGTERM');
  const timer = setTimeout(() => p.proc.kill('SIGKILL'), 5000);
  await p.exited;
  clearTimeout(timer);
}

describe('the monitoring kit with real Prometheus', () => {
  let lab: Lab;
  let agent: NodeAgent;
  let dir = '';
  let panel: PanelProcess | undefined;
  let prometheus: ReturnType<typeof start> | undefined;
  let panelUrl = '';
  let promUrl = '';
  let apiKey = '';

  const query = async (expr: string) => {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    return (await res.json()) as {
      status: string;
      error?: string;
      data: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
  };

  beforeAll(async () => {
    lab = await Lab.create({ nodes: 1, clients: 0 });
    const node = lab.node(1);
    await node.createWgInterface();
    agent = await startNodeAgent(lab, node);
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-prometheus-'));

    panel = await PanelProcess.start({
      args: ['--data-dir', join(dir, 'panel')],
      env: { WGFLEET_ADMIN_PASSWORD: PASSWORD, WGFLEET_PANEL_POLL_INTERVAL: '1' },
    });
    panelUrl = panel.base;
    const session = await PanelSession.signIn(panelUrl, PASSWORD);
    const post = (path: string, body: object) => session.api('POST', path, body);
    apiKey = (await post('/api/newDashboardAPIKey', { neverExpire: true })).Key ?? '';
    await post('/api/addNode', { name: 'node1', join: agent.join.raw });

    // The example scrape config, pointed at this panel and this node.
    const config = parse(await readFile(join(KIT, 'prometheus.yml'), 'utf8')) as {
      global: Record<string, string>;
      rule_files: string[];
      scrape_configs: ScrapeJob[];
    };
    config.global = { scrape_interval: '1s', evaluation_interval: '1s' };
    const rules = (await readFile(join(KIT, 'wgfleet-alerts.yml'), 'utf8')).replace(
      /^(\s+)for: \d+m$/gm,
      '$1for: 2s',
    );
    await writeFile(join(dir, 'alerts.yml'), rules);
    config.rule_files = [join(dir, 'alerts.yml')];
    await writeFile(join(dir, 'panel-api-key'), apiKey);
    await copyFile(join(node.stateDir, 'token'), join(dir, 'node1.token'));
    await copyFile(join(node.stateDir, 'tls-cert.pem'), join(dir, 'node1-cert.pem'));
    const [panelJob, agentJob] = config.scrape_configs;
    expect(panelJob?.authorization?.credentials_file).toBeDefined();
    expect(agentJob?.bearer_token_file).toBeDefined();
    expect(agentJob?.tls_config?.ca_file).toBeDefined();
    panelJob!.authorization!.credentials_file = join(dir, 'panel-api-key');
    panelJob!.static_configs[0]!.targets = [new URL(panelUrl).host];
    agentJob!.bearer_token_file = join(dir, 'node1.token');
    agentJob!.tls_config = { ca_file: join(dir, 'node1-cert.pem'), server_name: node.underlayIp };
    agentJob!.static_configs[0]!.targets = [agent.listen];
    await writeFile(join(dir, 'prometheus.yml'), stringify(config));

    promUrl = `http://127.0.0.1:${await freePort()}`;
    prometheus = start(
      '/usr/bin/prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=${new URL(promUrl).host}`,
        '--log.level=warn',
      ],
      { PATH: process.env.PATH ?? '' },
    );
  });

  afterAll(async () => {
    await stop(prometheus);
    await panel?.stop();
    await lab?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('scrapes panel and agent with the example jobs (Bearer key; token and pinned certificate)', async () => {
    const p = prometheus!;
    const targets = await waitFor(
      'both targets up',
      async () => {
        if (p.proc.exitCode !== null) throw new Error(`prometheus exited:\n${p.out.join('')}`);
        const res = await fetch(`${promUrl}/api/v1/targets`).catch(() => null);
        if (!res?.ok) return undefined;
        const body = (await res.json()) as {
          data: { activeTargets: { labels: { job: string }; health: string; lastError: string }[] };
        };
        const active = body.data.activeTargets;
        return active.length === 2 && active.every((t) => t.health === 'up') ? active : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    ).catch(async (e: Error) => {
      const res = await fetch(`${promUrl}/api/v1/targets`).catch(() => null);
      throw new Error(`${e.message}\n${res ? await res.text() : ''}`);
    });
    expect(targets.map((t) => t.labels.job).sort()).toEqual([
      'wgfleet-agent-node1',
      'wgfleet-panel',
    ]);
    const node = await waitFor(
      'the panel polled the node',
      async () => (await query('wgfleet_panel_node_up == 1')).data.result[0],
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(node.metric.node).toBe('node1');
    for (const expr of [
      'wgfleet_panel_build_info',
      'wgfleet_agent_build_info',
      'wgfleet_panel_process_cpu_seconds_total',
    ])
      expect((await query(expr)).data.result.length, expr).toBeGreaterThan(0);
  });

  it("passes promtool with the panel process's exposition (process metrics included)", async () => {
    const text = await (
      await fetch(`${panelUrl}/metrics`, { headers: { authorization: `Bearer ${apiKey}` } })
    ).text();
    expect(text).toContain('wgfleet_panel_process_resident_memory_bytes');
    try {
      await exec('promtool', ['check', 'metrics'], { input: text });
    } catch (e) {
      throw new Error(e instanceof ExecError ? `${e.stdout}${e.stderr}` : String(e));
    }
  });

  it('evaluates every query of the Grafana dashboard without an error', async () => {
    const dashboard = JSON.parse(await readFile(join(KIT, 'grafana-dashboard.json'), 'utf8')) as {
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    const exprs = dashboard.panels.flatMap((p) =>
      (p.targets ?? []).map((t) => [p.title, t.expr] as const),
    );
    expect(exprs.length).toBeGreaterThan(10);
    for (const [title, expr] of exprs) {
      // Grafana's variables, as Grafana fills them in.
      const promql = expr.replaceAll('$__rate_interval', '1m').replaceAll('$node', '.*');
      const answer = await query(promql);
      expect(answer.status, `${title}: ${answer.error}`).toBe('success');
    }
  });

  it('fires the node-down alerts once the agent stops', async () => {
    await agent.process.stop();
    const firing = await waitFor(
      'WgfleetNodeDown and WgfleetAgentDown firing',
      async () => {
        const res = await fetch(`${promUrl}/api/v1/alerts`);
        const body = (await res.json()) as {
          data: { alerts: { labels: Record<string, string>; state: string }[] };
        };
        const names = body.data.alerts.filter((a) => a.state === 'firing');
        const down = names.find((a) => a.labels.alertname === 'WgfleetNodeDown');
        const agentDown = names.find((a) => a.labels.alertname === 'WgfleetAgentDown');
        return down && agentDown ? { down, agentDown } : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(firing.down.labels).toMatchObject({ node: 'node1', severity: 'critical' });
    expect(firing.agentDown.labels).toMatchObject({ job: 'wgfleet-agent-node1', node: 'node1' });
  });
});
