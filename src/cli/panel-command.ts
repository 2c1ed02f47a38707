import { Command, Option } from 'commander';
import { resolvePanelConfig, type PanelConfig, type PanelOptionValues } from '../panel/config.js';
import { applyConfigFile } from './config-file.js';
import { httpLimitOptions } from './http-limit-options.js';
import { VERSION } from './version.js';

const env = (name: string) => `WGFLEET_PANEL_${name}`;

/** The panel's config from a parsed `wgfleet panel` command: flags, environment, config file. */
export async function loadPanelConfig(cmd: Command): Promise<PanelConfig> {
  await applyConfigFile(cmd);
  return resolvePanelConfig(cmd.opts<PanelOptionValues>());
}

/** `wgfleet panel` (main.ts adds its backup and restore subcommands). */
export function panelCommand(): Command {
  const command = new Command('panel')
    .description('run the panel: HTTP API (and web UI) over the database, polling every node')
    .enablePositionalOptions()
    .addOption(
      new Option('--listen <host:port>', 'address the panel listens on')
        .env(env('LISTEN'))
        .default('127.0.0.1:10086'),
    )
    .addOption(
      new Option('--data-dir <dir>', 'folder of the panel data (the SQLite database by default)')
        .env(env('DATA_DIR'))
        .default('/var/lib/wgfleet'),
    )
    .addOption(
      new Option(
        '--database <url>',
        'sqlite:PATH, postgres://… or mysql://… (default sqlite:<data-dir>/wgfleet.db)',
      ).env(env('DATABASE')),
    )
    .addOption(
      new Option(
        '--secret-key-file <file>',
        'key sealing node tokens and peer keys in the database, made 0600 at first start (default <data-dir>/secret.key); back it up',
      ).env(env('SECRET_KEY_FILE')),
    )
    .addOption(
      new Option(
        '--poll-interval <seconds>',
        'how often every node is polled, 1–3600 (default; the Settings page can change it)',
      )
        .env(env('POLL_INTERVAL'))
        .default('10'),
    )
    .addOption(
      new Option(
        '--enforcement-interval <seconds>',
        'longest wait between quota/expiry passes, 5–3600 (default; the Settings page can change it)',
      )
        .env(env('ENFORCEMENT_INTERVAL'))
        .default('30'),
    )
    .addOption(
      new Option('--poll-concurrency <n>', 'how many nodes are polled at once')
        .env(env('POLL_CONCURRENCY'))
        .default('16'),
    )
    .addOption(
      new Option(
        '--lease-intervals <n>',
        'how long a node lease lasts, in poll intervals, 1.5–10 (several panels on one database)',
      )
        .env(env('LEASE_INTERVALS'))
        .default('2'),
    )
    .addOption(
      new Option('--session-ttl <hours>', 'how long a sign-in lasts')
        .env(env('SESSION_TTL'))
        .default('24'),
    )
    .addOption(
      new Option(
        '--trust-proxy [addresses]',
        'trust X-Forwarded-* headers from these proxies (comma-separated addresses or CIDRs); alone: from anyone',
      ).env(env('TRUST_PROXY')),
    )
    .addOption(
      new Option(
        '--tls-cert <file>',
        'serve HTTPS with this PEM certificate (chain); re-read on SIGHUP',
      ).env(env('TLS_CERT')),
    )
    .addOption(
      new Option('--tls-key <file>', 'the PEM private key of --tls-cert; re-read on SIGHUP').env(
        env('TLS_KEY'),
      ),
    )
    .addOption(
      new Option(
        '--peer-metrics <on|off>',
        'per-peer series on /metrics (usage, limit, expiry of every peer); off for very big fleets',
      )
        .env(env('PEER_METRICS'))
        .default('on'),
    )
    .addOption(
      new Option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent')
        .env(env('LOG_LEVEL'))
        .default('info'),
    );
  for (const option of httpLimitOptions(env)) command.addOption(option);
  return command
    .addOption(
      new Option(
        '--config <file>',
        'YAML or JSON file of options (keys in camelCase, e.g. pollInterval: 10; docs/CONFIG.md); flags and environment win',
      ).env(env('CONFIG')),
    )
    .addHelpText(
      'after',
      '\nEvery option can also be set by environment (WGFLEET_PANEL_<OPTION>, e.g. WGFLEET_PANEL_LISTEN)\n' +
        'or in the --config file. On first start the administrator is created from WGFLEET_ADMIN_USER\n' +
        'and WGFLEET_ADMIN_PASSWORD, or "admin" with a generated password printed once.',
    )
    .action(async (_opts, cmd: Command) => {
      const config = await loadPanelConfig(cmd);
      const { runPanel } = await import('../panel/main.js');
      await runPanel(config, VERSION);
    });
}
