import { posix } from 'node:path';
import type { InstallLayout } from './layout.js';

/** One step of an install or uninstall, on target-system paths (the root prefix comes later). */
export type Action =
  | { readonly kind: 'user'; readonly name: string; readonly home: string }
  | {
      readonly kind: 'dir';
      readonly path: string;
      readonly mode: number;
      /** Owner and group: `root`, or the service's user (and its group of the same name). */
      readonly owner: string;
    }
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly mode: number;
      readonly owner: string;
      /** Group allowed to read it (mode 0640): the service's, for a root-owned config file. */
      readonly group: string;
      readonly content: string;
      /** Replace an existing file (the unit: ours); else keep it (the config: the operator's). */
      readonly replace: boolean;
      /** Content holds a secret: a dry run shows only its variable names. */
      readonly secret: boolean;
    }
  | {
      readonly kind: 'credential';
      readonly stateDir: string;
      readonly listen: string;
      readonly publicHost: string | undefined;
    }
  | { readonly kind: 'systemctl'; readonly args: readonly string[] }
  | { readonly kind: 'remove'; readonly path: string; readonly recursive: boolean }
  | { readonly kind: 'userdel'; readonly name: string };

export interface InstallInputs {
  readonly unit: string;
  readonly config: string;
  /** The panel's environment file (first administrator); null for the agent. */
  readonly env: string | null;
  /** Agent: its listen address and public host, for the credential. */
  readonly listen: string;
  readonly publicHost?: string | undefined;
}

/** The steps of `wgfleet install ROLE`, in order. */
export function installPlan(l: InstallLayout, i: InstallInputs): Action[] {
  const actions: Action[] = [];
  const svc = l.user;
  if (svc !== 'root') actions.push({ kind: 'user', name: svc, home: l.dataDir });
  // Shared by the panel and an agent on one host, like /etc/ssh: each file keeps its own mode.
  // Config is root's and only readable by the service: a compromised service cannot rewrite it.
  actions.push({ kind: 'dir', path: l.configDir, mode: 0o755, owner: 'root' });
  actions.push({ kind: 'dir', path: l.dataDir, mode: 0o700, owner: svc });
  if (l.wgConfDir) actions.push({ kind: 'dir', path: l.wgConfDir, mode: 0o700, owner: 'root' });
  const file = (path: string, content: string, extra: Partial<Action & { kind: 'file' }>) =>
    actions.push({
      kind: 'file',
      path,
      mode: 0o640,
      owner: 'root',
      group: svc,
      content,
      replace: false,
      secret: false,
      ...extra,
    });
  file(l.configPath, i.config, svc === 'root' ? { mode: 0o600 } : {});
  if (l.envPath && i.env !== null)
    file(l.envPath, i.env, { mode: 0o600, group: 'root', secret: true });
  if (l.role === 'agent')
    actions.push({
      kind: 'credential',
      stateDir: l.dataDir,
      listen: i.listen,
      publicHost: i.publicHost,
    });
  actions.push({ kind: 'dir', path: posix.dirname(l.unitPath), mode: 0o755, owner: 'root' });
  file(l.unitPath, i.unit, { mode: 0o644, group: 'root', replace: true });
  actions.push({ kind: 'systemctl', args: ['daemon-reload'] });
  return actions;
}

/**
 * The steps of `wgfleet uninstall ROLE`: stop and remove the service; with `purge`, also its
 * config, its data (the panel's database, the node credential) and its user. The agent's wg-quick
 * files stay: they are the host's WireGuard, which outlives wgfleet.
 */
export function uninstallPlan(l: InstallLayout, purge: boolean): Action[] {
  const actions: Action[] = [
    { kind: 'systemctl', args: ['disable', '--now', l.unitName] },
    { kind: 'remove', path: l.unitPath, recursive: false },
    { kind: 'systemctl', args: ['daemon-reload'] },
  ];
  if (!purge) return actions;
  actions.push({ kind: 'remove', path: l.configPath, recursive: false });
  if (l.envPath) actions.push({ kind: 'remove', path: l.envPath, recursive: false });
  // Removed only when empty (the other process's config may be there).
  actions.push({ kind: 'remove', path: l.configDir, recursive: false });
  actions.push({ kind: 'remove', path: l.dataDir, recursive: true });
  if (l.user !== 'root') actions.push({ kind: 'userdel', name: l.user });
  return actions;
}
