import type { InstallLayout } from './layout.js';

/** systemd quotes an argument with spaces or specials in double quotes, escaping \ and ". */
function quote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/[\\"]/g, '\\$&')}"`;
}

const execStart = (l: InstallLayout, nodeFlags: readonly string[] = []) =>
  [l.exec[0], ...nodeFlags, l.exec[1], l.role, '--config', l.configPath].map(quote).join(' ');

/**
 * The agent's V8 settings (on the command line: NODE_OPTIONS refuses the second). The counter
 * read loop and the dumps leave short-lived garbage: a small young generation
 * (`--max-semi-space-size=1`) keeps it from growing for it (bench:ledger), and a fixed heap
 * growth of 30 % after each full collection (`--heap-growing-percent=30`; V8 otherwise lets the
 * old generation grow to ~4× what the last one kept while the agent is busy) keeps the agent under
 * 100 MB after dumps at 10,000 peers instead of ~120 (bench:agent, which runs the agent with
 * these flags; docs/PERFORMANCE.md). A full collection of the ~20 MB the agent keeps takes a few
 * milliseconds.
 */
export const AGENT_NODE_FLAGS = ['--max-semi-space-size=1', '--heap-growing-percent=30'] as const;

/**
 * Options of the panel's `node` (before its script; V8 refuses them in NODE_OPTIONS). V8 lets the
 * old generation grow to up to 4× what survived the last full collection before it collects
 * again: at 100,000 peers a poll cycle's garbage took the panel from 37 MB live to 140–160 MB of
 * heap (bench:ingest). Growing by half instead bounds that at ~1.5× the live heap, for a few more
 * full collections (concurrent, a few ms each at that size). The benchmarks run the panel with
 * these too.
 */
export const PANEL_NODE_OPTIONS: readonly string[] = ['--heap-growing-percent=50'];

// Settings both services share: no privilege gain, a read-only system, private /tmp, no homes.
const COMMON = [
  'Restart=on-failure',
  'RestartSec=5s',
  'NoNewPrivileges=yes',
  'ProtectSystem=strict',
  'PrivateTmp=yes',
  'ProtectHome=yes',
  'ProtectControlGroups=yes',
  'ProtectClock=yes',
  'ProtectHostname=yes',
  'ProtectKernelLogs=yes',
  'RestrictRealtime=yes',
  'RestrictSUIDSGID=yes',
  'LockPersonality=yes',
  'SystemCallArchitectures=native',
  'UMask=0077',
  "# MemoryDenyWriteExecute stays off: Node's JIT compiler needs writable executable memory.",
];

/** The panel's unit: an unprivileged system user with no capabilities, writing only its data. */
export function panelUnit(l: InstallLayout): string {
  return [
    '# Installed by `wgfleet install panel`; `wgfleet uninstall panel` removes it.',
    '[Unit]',
    'Description=wgfleet panel (WireGuard fleet control plane)',
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `User=${l.user}`,
    `Group=${l.user}`,
    // Read at every start; only the first start uses it (the administrator's password).
    `EnvironmentFile=-${l.envPath}`,
    `ExecStart=${execStart(l, PANEL_NODE_OPTIONS)}`,
    // Re-reads --tls-cert/--tls-key (a renewed certificate) without a restart.
    'ExecReload=/bin/kill -HUP $MAINPID',
    ...COMMON,
    `ReadWritePaths=${l.dataDir}`,
    'PrivateDevices=yes',
    'ProtectKernelTunables=yes',
    'ProtectKernelModules=yes',
    'RestrictNamespaces=yes',
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6',
    '# No capabilities. To listen on a port below 1024, set both to CAP_NET_BIND_SERVICE.',
    'CapabilityBoundingSet=',
    'AmbientCapabilities=',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/**
 * The agent's unit. It keeps UID 0 because wg-quick refuses any other user (it re-runs itself
 * through sudo), but holds only CAP_NET_ADMIN: every other capability is dropped from the bounding
 * set, so it cannot read or write files it does not own, load modules or change other processes.
 */
export function agentUnit(l: InstallLayout): string {
  return [
    '# Installed by `wgfleet install agent`; `wgfleet uninstall agent` removes it.',
    '[Unit]',
    'Description=wgfleet node agent (WireGuard interfaces of this host)',
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    "# V8: a small young generation for the read loop's per-second garbage, and the old one grown",
    '# 30 % past what a full collection keeps: under 100 MB at 10,000 peers (docs/PERFORMANCE.md).',
    `ExecStart=${execStart(l, AGENT_NODE_FLAGS)}`,
    ...COMMON,
    `ReadWritePaths=${l.dataDir} ${l.wgConfDir}`,
    '# wireguard-go (userspace WireGuard) keeps its control sockets in /run/wireguard.',
    'RuntimeDirectory=wireguard',
    'RuntimeDirectoryMode=0700',
    'RuntimeDirectoryPreserve=yes',
    'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK',
    '# Only CAP_NET_ADMIN (interfaces, routes, WireGuard). Hooks (--allow-hooks) running',
    '# iptables need CAP_NET_RAW too: add it to both lines.',
    'CapabilityBoundingSet=CAP_NET_ADMIN',
    'AmbientCapabilities=CAP_NET_ADMIN',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
