import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseHostPort } from '../../shared/host-port.js';
import { lookupId, useraddArgs, userdelArgs } from './accounts.js';
import { describeAction } from './describe-plan.js';
import type { Action } from './plan.js';

/** Runs a program from an argument array; rejects with its output when it fails. */
export type Run = (program: string, args: readonly string[]) => Promise<void>;

export interface ApplyContext {
  /** Prefix of every path written (`/` on a real install). */
  readonly root: string;
  /** Whether systemctl may be called: systemd runs this system and the root is `/`. */
  readonly systemd: boolean;
  readonly run: Run;
}

export interface ApplyResult {
  /** One line per action: what it was and what happened. */
  readonly lines: string[];
  /** The agent's join string, when a credential was created or found. */
  readonly joinString: string | null;
  /** Files written now (paths on the target system); kept files are not in it. */
  readonly written: ReadonlySet<string>;
}

async function ids(root: string, user: string, group = user): Promise<[number, number]> {
  const uid = await lookupId(root, 'passwd', user);
  const gid = await lookupId(root, 'group', group);
  if (uid === null) throw new Error(`no user "${user}" in ${join(root, 'etc/passwd')}`);
  if (gid === null) throw new Error(`no group "${group}" in ${join(root, 'etc/group')}`);
  return [uid, gid];
}

/** Executes the plan in order, stopping at the first failure (which names the step). */
export async function applyPlan(
  actions: readonly Action[],
  ctx: ApplyContext,
): Promise<ApplyResult> {
  const lines: string[] = [];
  const written = new Set<string>();
  let joinString: string | null = null;
  const at = (path: string) => join(ctx.root, path);
  for (const a of actions) {
    const outcome = await (async (): Promise<string> => {
      switch (a.kind) {
        case 'user':
          if ((await lookupId(ctx.root, 'passwd', a.name)) !== null) return 'exists';
          await ctx.run('useradd', useraddArgs(ctx.root, a.name, a.home));
          return 'created';
        case 'dir': {
          const created = !existsSync(at(a.path));
          // Parents as any system folder (0755): a 0700 parent would lock the service out.
          await mkdir(dirname(at(a.path)), { recursive: true, mode: 0o755 });
          await mkdir(at(a.path), { recursive: true, mode: a.mode });
          await chmod(at(a.path), a.mode);
          await chown(at(a.path), ...(await ids(ctx.root, a.owner)));
          return created ? 'created' : 'exists (mode and owner set)';
        }
        case 'file': {
          if (!a.replace && existsSync(at(a.path))) return 'kept (exists)';
          const existed = existsSync(at(a.path));
          const tmp = `${at(a.path)}.wgfleet-new`;
          await writeFile(tmp, a.content, { mode: a.mode });
          await chmod(tmp, a.mode);
          await chown(tmp, ...(await ids(ctx.root, a.owner, a.group)));
          await rename(tmp, at(a.path));
          written.add(a.path);
          return existed ? 'replaced' : 'written';
        }
        case 'credential': {
          const { initAgent } = await import('../../agent/init.js');
          const r = await initAgent({
            stateDir: at(a.stateDir),
            listen: parseHostPort(a.listen, '--listen'),
            publicHost: a.publicHost,
            rotate: false,
          });
          joinString = r.joinString;
          return r.created ? 'created' : 'kept (exists)';
        }
        case 'systemctl':
          if (!ctx.systemd) return 'skipped (systemd is not running this root)';
          try {
            await ctx.run('systemctl', a.args);
            return 'done';
          } catch (e) {
            // disable --now of a unit already gone is not a failure of the uninstall.
            if (a.args[0] === 'disable') return `failed, carrying on: ${(e as Error).message}`;
            throw e;
          }
        case 'remove':
          if (!existsSync(at(a.path))) return 'absent';
          if (!a.recursive && (await stat(at(a.path))).isDirectory()) {
            try {
              await rmdir(at(a.path));
            } catch (e) {
              if ((e as NodeJS.ErrnoException).code === 'ENOTEMPTY') return 'kept (not empty)';
              throw e;
            }
          } else await rm(at(a.path), { recursive: a.recursive, force: true });
          return 'removed';
        case 'userdel':
          if ((await lookupId(ctx.root, 'passwd', a.name)) === null) return 'absent';
          await ctx.run('userdel', userdelArgs(ctx.root, a.name));
          return 'removed';
      }
    })().catch((e: unknown) => {
      throw new Error(`${describeAction(a)}: ${(e as Error).message}`);
    });
    lines.push(`${describeAction(a)}: ${outcome}`);
  }
  return { lines, joinString, written };
}
