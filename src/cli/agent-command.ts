import { Command, Option } from 'commander';
import {
  DEFAULT_AGENT_LISTEN,
  READ_INTERVAL_SECONDS,
  resolveAgentConfig,
  type AgentConfig,
  type AgentOptionValues,
} from '../agent/config.js';
import { loadInitRecord } from '../agent/init-record.js';
import { parseHostPort } from '../shared/host-port.js';
import { applyConfigFile } from './config-file.js';
import { httpLimitOptions } from './http-limit-options.js';
import { VERSION } from './version.js';

const env = (name: string) => `WGFLEET_AGENT_${name}`;

const stateDirOption = () =>
  new Option('--state-dir <dir>', 'folder of the node credential (token, TLS key and certificate)')
    .env(env('STATE_DIR'))
    .default('/var/lib/wgfleet-agent');
// No commander default: unset means what `agent init` recorded in the state folder.
const listenOption = () =>
  new Option(
    '--listen <host:port>',
    `address the agent API listens on (default: what \`agent init\` was given, else ${DEFAULT_AGENT_LISTEN})`,
  ).env(env('LISTEN'));

/** The agent's config from a parsed `wgfleet agent` command: flags, environment, config file. */
export async function loadAgentConfig(cmd: Command): Promise<AgentConfig> {
  await applyConfigFile(cmd);
  const values = cmd.opts<AgentOptionValues>();
  const record = await loadInitRecord(values.stateDir);
  return resolveAgentConfig(values, record?.listen ?? null);
}

/** `wgfleet agent` and `wgfleet agent init`. */
export function agentCommand(): Command {
  const agent = new Command('agent')
    .description("run the node agent: an HTTPS API over this host's WireGuard interfaces")
    .enablePositionalOptions()
    .addOption(stateDirOption())
    .addOption(listenOption())
    .addOption(
      new Option('--conf-dir <dir>', 'folder of wg-quick files <name>.conf')
        .env(env('CONF_DIR'))
        .default('/etc/wireguard'),
    )
    .addOption(
      new Option(
        '--interfaces <names>',
        'comma-separated interfaces to manage (default: all of this host)',
      ).env(env('INTERFACES')),
    )
    .addOption(
      new Option('--insecure-http', 'serve plain HTTP (only allowed on a loopback --listen)').env(
        env('INSECURE_HTTP'),
      ),
    )
    .addOption(
      new Option(
        '--allow-hooks',
        'accept post_up/post_down (shell commands run as root by wg-quick)',
      ).env(env('ALLOW_HOOKS')),
    )
    .addOption(new Option('--wg-bin <path>', 'the wg program').env(env('WG_BIN')).default('wg'))
    .addOption(
      new Option('--wg-quick-bin <path>', 'the wg-quick program')
        .env(env('WG_QUICK_BIN'))
        .default('wg-quick'),
    )
    .addOption(
      new Option(
        '--read-interval <seconds>',
        `seconds between readings of the peers' counters (${READ_INTERVAL_SECONDS.min}–${READ_INTERVAL_SECONDS.max}): the node's own totals and its enforcement while the panel is away`,
      )
        .env(env('READ_INTERVAL'))
        .default(String(READ_INTERVAL_SECONDS.default)),
    )
    .addOption(
      new Option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent')
        .env(env('LOG_LEVEL'))
        .default('info'),
    )
    .addOption(
      new Option(
        '--config <file>',
        'YAML or JSON file of options (keys in camelCase, e.g. confDir: /etc/wireguard; docs/CONFIG.md); flags and environment win',
      ).env(env('CONFIG')),
    )
    .addHelpText(
      'after',
      '\nEvery option can also be set by environment (WGFLEET_AGENT_<OPTION>, e.g. WGFLEET_AGENT_LISTEN)\nor in the --config file. Precedence: flag, environment, config file, default.',
    )
    .action(async (_opts, cmd: Command) => {
      const config = await loadAgentConfig(cmd);
      // Loaded on use: `wgfleet agent` must not pay for the panel's modules, nor the reverse.
      const { runAgent } = await import('../agent/main.js');
      await runAgent(config, VERSION);
    });

  for (const option of httpLimitOptions(env)) agent.addOption(option);

  agent
    .command('init')
    .description('create the node credential and print the join string for the panel (last line)')
    .addOption(stateDirOption())
    .addOption(listenOption())
    .addOption(
      new Option('--public-host <name>', 'host name or address the panel reaches this node at').env(
        env('PUBLIC_HOST'),
      ),
    )
    .option(
      '--rotate',
      'replace an existing credential (the panel must be given the new join string)',
    )
    .action(
      async (o: { stateDir: string; listen?: string; publicHost?: string; rotate?: boolean }) => {
        const { initAgent } = await import('../agent/init.js');
        const record = await loadInitRecord(o.stateDir);
        const result = await initAgent({
          stateDir: o.stateDir,
          listen: parseHostPort(o.listen ?? record?.listen ?? DEFAULT_AGENT_LISTEN, '--listen'),
          publicHost: o.publicHost ?? record?.publicHost ?? undefined,
          rotate: o.rotate === true,
        });
        process.stdout.write(
          `${result.created ? 'Created a new' : 'Kept the existing'} node credential in ${o.stateDir}.\n` +
            (result.repin
              ? 'The address changed since the last init: give the panel this new join string (Edit node).\n'
              : '') +
            'Add this node in the panel with the join string below (it holds a secret: keep it private):\n' +
            `${result.joinString}\n`,
        );
      },
    );
  return agent;
}
