import { Command, Option } from 'commander';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../shared/package-root.js';
import { parseHostPort } from '../../shared/host-port.js';
import { agentCommand } from '../agent-command.js';
import { panelCommand } from '../panel-command.js';
import { applyPlan, type Run } from './apply-plan.js';
import { configTemplate } from './config-template.js';
import { describePlan } from './describe-plan.js';
import { DEFAULT_DATA_DIR, layoutFor, type InstallLayout, type Role } from './layout.js';
import { installPlan, uninstallPlan, type Action } from './plan.js';
import { agentUnit, panelUnit } from './systemd-unit.js';

interface CommonValues {
  root: string;
  dryRun?: boolean;
  node: string;
  bin: string;
  unitDir: string;
  configDir: string;
  dataDir?: string;
  stateDir?: string;
  confDir?: string;
  user?: string;
  listen?: string;
  publicHost?: string;
  interfaces?: string;
  database?: string;
  purge?: boolean;
}

const runProgram: Run = async (program, args) => {
  try {
    await promisify(execFile)(program, [...args]);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${program} failed: ${(err.stderr || err.message).trim()}`);
  }
};

function absolute(path: string, option: string): string {
  if (!isAbsolute(path)) throw new Error(`${option} must be an absolute path, got "${path}"`);
  return path;
}

function layoutOf(role: Role, v: CommonValues): InstallLayout {
  const dataDir = role === 'panel' ? v.dataDir : v.stateDir;
  return layoutFor(role, {
    unitDir: absolute(v.unitDir, '--unit-dir'),
    configDir: absolute(v.configDir, '--config-dir'),
    dataDir: dataDir && absolute(dataDir, role === 'panel' ? '--data-dir' : '--state-dir'),
    confDir: v.confDir && absolute(v.confDir, '--conf-dir'),
    user: v.user,
    node: absolute(v.node, '--node'),
    bin: absolute(v.bin, '--bin'),
  });
}

const HEADER: Record<Role, string[]> = {
  panel: [
    'wgfleet panel configuration, read by wgfleet-panel.service (`wgfleet panel --config` this file).',
    'YAML; keys are the options in camelCase. A flag or environment variable wins over this file.',
    'Every option is listed with its default; remove the "# " to set one. See docs/CONFIG.md.',
  ],
  agent: [
    'wgfleet node agent configuration, read by wgfleet-agent.service (`wgfleet agent --config` this file).',
    'YAML; keys are the options in camelCase. A flag or environment variable wins over this file.',
    'Every option is listed with its default; remove the "# " to set one. See docs/CONFIG.md.',
  ],
};

function inputs(l: InstallLayout, v: CommonValues, password: string) {
  const listen = v.listen ?? (l.role === 'panel' ? '127.0.0.1:10086' : '0.0.0.0:8787');
  parseHostPort(listen, '--listen');
  if (l.role === 'panel') {
    const set = { listen, dataDir: l.dataDir, ...(v.database && { database: v.database }) };
    return {
      unit: panelUnit(l),
      config: configTemplate(panelCommand(), HEADER.panel, set),
      env: [
        '# Read by wgfleet-panel.service. Used only at the first start (no user yet), to create the',
        '# administrator: delete this file once you have signed in and changed the password.',
        'WGFLEET_ADMIN_USER=admin',
        `WGFLEET_ADMIN_PASSWORD=${password}`,
        '',
      ].join('\n'),
      listen,
    };
  }
  const set = {
    listen,
    stateDir: l.dataDir,
    confDir: l.wgConfDir ?? '/etc/wireguard',
    ...(v.interfaces && { interfaces: v.interfaces }),
  };
  return {
    unit: agentUnit(l),
    config: configTemplate(agentCommand(), HEADER.agent, set),
    env: null,
    listen,
    publicHost: v.publicHost,
  };
}

function nextSteps(
  l: InstallLayout,
  listen: string,
  written: ReadonlySet<string>,
  join: string | null,
  password: string,
): string {
  const lines = ['', `Next: systemctl enable --now ${l.unitName}`];
  if (l.role === 'panel') {
    lines.push(`Then sign in at http://${listen} as "admin".`);
    if (l.envPath && written.has(l.envPath))
      lines.push(
        'The administrator password (also in ' + l.envPath + ', used at the first start only):',
        '',
        `    ${password}`,
        '',
      );
    else lines.push(`The administrator's first password is in ${l.envPath} (kept from before).`);
    lines.push(
      `At its first start the panel makes ${l.dataDir}/secret.key, which seals node tokens and peer keys`,
      'in the database: back it up with the database (wgfleet panel backup does both).',
    );
  } else if (join) {
    lines.push(
      'Then add this node in the panel with the join string below (it holds a secret: keep it private):',
      join,
    );
  }
  return lines.join('\n') + '\n';
}

async function run(
  role: Role,
  v: CommonValues,
  plan: (l: InstallLayout, password: string) => Action[],
) {
  const root = resolve(v.root);
  const l = layoutOf(role, v);
  const password = randomBytes(18).toString('base64url');
  const actions = plan(l, password);
  for (const path of l.exec)
    if (/^\/(root|home)\//.test(path))
      process.stderr.write(
        `wgfleet: warning: ${path} is in a home folder, which the unit hides (ProtectHome=yes): install Node.js and wgfleet system-wide\n`,
      );
  if (v.dryRun) {
    process.stdout.write(`Would do, under ${root}:\n${describePlan(actions)}`);
    return { l, result: null, password };
  }
  const systemd = root === '/' && existsSync('/run/systemd/system');
  const result = await applyPlan(actions, { root, systemd, run: runProgram });
  process.stdout.write(result.lines.map((s) => `- ${s}\n`).join(''));
  return { l, result, password };
}

function commonOptions(cmd: Command, role: Role): Command {
  const bin = () => join(packageRoot(import.meta.url), 'bin', 'wgfleet.js');
  return cmd
    .addOption(
      new Option('--root <dir>', 'write every file under this folder (as DESTDIR does)').default(
        '/',
      ),
    )
    .option('--dry-run', 'print what would be done and every file, change nothing')
    .addOption(
      new Option('--node <path>', 'the node program the unit runs').default(process.execPath),
    )
    .addOption(new Option('--bin <path>', "wgfleet's bin/wgfleet.js the unit runs").default(bin()))
    .addOption(new Option('--unit-dir <dir>', 'systemd unit folder').default('/etc/systemd/system'))
    .addOption(new Option('--config-dir <dir>', 'config folder').default('/etc/wgfleet'))
    .addOption(
      role === 'panel'
        ? new Option('--data-dir <dir>', 'the panel data folder').default(DEFAULT_DATA_DIR.panel)
        : new Option('--state-dir <dir>', 'the node credential folder').default(
            DEFAULT_DATA_DIR.agent,
          ),
    );
}

/** `wgfleet install panel|agent`. */
export function installCommand(): Command {
  const install = new Command('install').description(
    'install the panel or a node agent as a systemd service',
  );
  const panel = commonOptions(new Command('panel'), 'panel')
    .description(
      'system user wgfleet, folders, a commented config, a hardened unit; prints the admin password',
    )
    .option('--user <name>', 'system user the panel runs as', 'wgfleet')
    .option('--listen <host:port>', 'address the panel listens on', '127.0.0.1:10086')
    .option('--database <url>', 'postgres://… or mysql://… (default: SQLite in the data folder)');
  const agent = commonOptions(new Command('agent'), 'agent')
    .description(
      'folders, a commented config, the node credential, a hardened unit; prints the join string',
    )
    .option('--conf-dir <dir>', 'folder of wg-quick files', '/etc/wireguard')
    .option('--listen <host:port>', 'address the agent API listens on', '0.0.0.0:8787')
    .option('--public-host <name>', 'host name or address the panel reaches this node at')
    .option('--interfaces <names>', 'comma-separated interfaces to manage (default: all)');
  for (const [cmd, role] of [
    [panel, 'panel'],
    [agent, 'agent'],
  ] as const)
    install.addCommand(
      cmd.action(async (v: CommonValues) => {
        let listen = '';
        const { l, result, password } = await run(role, v, (l, pw) => {
          const i = inputs(l, v, pw);
          listen = i.listen;
          return installPlan(l, i);
        });
        if (result)
          process.stdout.write(nextSteps(l, listen, result.written, result.joinString, password));
      }),
    );
  return install;
}

/** `wgfleet uninstall panel|agent`. */
export function uninstallCommand(): Command {
  const uninstall = new Command('uninstall').description('stop and remove an installed service');
  for (const role of ['panel', 'agent'] as const) {
    const cmd = commonOptions(new Command(role), role)
      .description(`remove wgfleet-${role}.service; --purge also removes its config, data and user`)
      .option(
        '--purge',
        role === 'panel'
          ? 'also remove the config, the data folder (the SQLite database!) and the user'
          : 'also remove the config and the node credential (wg-quick files stay)',
      );
    if (role === 'panel') cmd.option('--user <name>', 'system user the panel runs as', 'wgfleet');
    uninstall.addCommand(
      cmd.action(async (v: CommonValues) => {
        await run(role, v, (l) => uninstallPlan(l, v.purge === true));
      }),
    );
  }
  return uninstall;
}
