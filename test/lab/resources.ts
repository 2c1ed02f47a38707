import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';

const WG_SOCKET_DIR = '/var/run/wireguard';
const pause = new Int32Array(new SharedArrayBuffer(4));
/** Synchronous sleep (the 'exit' handler cannot await). */
const sleepSync = (ms: number) => Atomics.wait(pause, 0, 0, ms);
/** True while `pid` runs; a zombie (exited, not yet reaped: the 'exit' handler cannot reap) is not. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX]/s.test(stat);
  } catch {
    return false;
  }
}

/**
 * Everything one lab made, so it can be torn down — by `Lab.destroy()` normally, or synchronously
 * from the process 'exit' safety net when a test run dies before its `afterAll`.
 */
export class LabResources {
  /** @param prefix the lab's unique name prefix (its wireguard-go sockets start with it). */
  constructor(readonly prefix: string) {}

  /** Processes the lab started, by PID (killed by PID, never by name). */
  readonly pids = new Set<number>();
  readonly namespaces = new Set<string>();
  /** Links in the root namespace (the host side of the hub veth). */
  readonly rootLinks = new Set<string>();
  readonly tempDirs = new Set<string>();

  /**
   * Best-effort synchronous teardown; never throws. SIGTERM first (wireguard-go then removes
   * its socket), namespaces deleted (their WireGuard links go, so daemons started by wg-quick
   * exit too), at most ~1 s for the processes to end, SIGKILL for the rest, stale sockets of
   * this lab removed.
   */
  destroySync(): void {
    const pids = [...this.pids];
    for (const pid of pids) quiet(() => process.kill(pid, 'SIGTERM'));
    for (const ns of this.namespaces) quiet(() => execFileSync('ip', ['netns', 'del', ns]));
    for (const link of this.rootLinks) quiet(() => execFileSync('ip', ['link', 'del', link]));
    for (let i = 0; i < 20 && pids.some(isAlive); i++) sleepSync(50);
    for (const pid of pids.filter(isAlive)) quiet(() => process.kill(pid, 'SIGKILL'));
    quiet(() => {
      for (const f of readdirSync(WG_SOCKET_DIR))
        if (f.startsWith(this.prefix) && f.endsWith('.sock'))
          rmSync(`${WG_SOCKET_DIR}/${f}`, { force: true });
    });
    for (const dir of this.tempDirs) quiet(() => rmSync(dir, { recursive: true, force: true }));
    this.pids.clear();
    this.namespaces.clear();
    this.rootLinks.clear();
    this.tempDirs.clear();
  }
}

function quiet(f: () => unknown) {
  try {
    f();
  } catch {
    // best effort: the thing may be gone already
  }
}

const live = new Set<LabResources>();
let installed = false;

function cleanupAll() {
  for (const r of live) r.destroySync();
  live.clear();
}

/**
 * Puts `r` under the process-level safety net: on 'exit' (and SIGINT/SIGTERM, which otherwise
 * skip 'exit') everything still registered is removed. The handlers are installed on first use,
 * never at import time.
 */
export function guard(r: LabResources): void {
  live.add(r);
  if (installed) return;
  installed = true;
  process.on('exit', cleanupAll);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      cleanupAll();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

/** Takes `r` off the safety net (after a normal destroy). */
export function unguard(r: LabResources): void {
  live.delete(r);
}
