/** What `wgfleet install` sets up: the panel or a node agent. */
export type Role = 'panel' | 'agent';

/**
 * Where one installed process lives, as paths on the target system (the unit and the config file
 * name them). `--root` only prefixes where the files are written, as DESTDIR does.
 */
export interface InstallLayout {
  readonly role: Role;
  /** `wgfleet-panel.service` or `wgfleet-agent.service`. */
  readonly unitName: string;
  readonly unitPath: string;
  readonly configDir: string;
  /** The YAML file the unit passes as `--config`. */
  readonly configPath: string;
  /** The panel's first-start secrets (the administrator's password), read by the unit; 0600. */
  readonly envPath: string | null;
  /** Panel: its data folder (SQLite database); agent: its state folder (node credential). */
  readonly dataDir: string;
  /** Agent only: the folder of wg-quick files it writes. */
  readonly wgConfDir: string | null;
  /** The account the service runs as (`root` for the agent: see the agent's unit). */
  readonly user: string;
  /** `[node, bin/wgfleet.js]`: the programs ExecStart runs, absolute paths. */
  readonly exec: readonly [string, string];
}

export interface LayoutOptions {
  readonly unitDir: string;
  readonly configDir: string;
  readonly dataDir?: string | undefined;
  readonly confDir?: string | undefined;
  readonly user?: string | undefined;
  readonly node: string;
  readonly bin: string;
}

export const DEFAULT_DATA_DIR: Readonly<Record<Role, string>> = {
  panel: '/var/lib/wgfleet',
  agent: '/var/lib/wgfleet-agent',
};

/** The layout of `role` with the given folders (absolute paths are checked by the caller). */
export function layoutFor(role: Role, o: LayoutOptions): InstallLayout {
  const unitName = `wgfleet-${role}.service`;
  return {
    role,
    unitName,
    unitPath: `${o.unitDir}/${unitName}`,
    configDir: o.configDir,
    configPath: `${o.configDir}/${role}.yaml`,
    envPath: role === 'panel' ? `${o.configDir}/panel.env` : null,
    dataDir: o.dataDir ?? DEFAULT_DATA_DIR[role],
    wgConfDir: role === 'agent' ? (o.confDir ?? '/etc/wireguard') : null,
    user: role === 'panel' ? (o.user ?? 'wgfleet') : 'root',
    exec: [o.node, o.bin],
  };
}
