import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessError, type ProcessRunner } from '../sys/process-runner.js';

/** A `tc -batch` that stopped: the 0-based index of the command that failed, and tc's words. */
export class TcBatchError extends Error {
  constructor(
    /** Index into the batch's commands; null when tc did not say which line. */
    readonly index: number | null,
    readonly stderr: string,
  ) {
    super(`tc failed: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  }
}

/** The narrow port the shaper needs over `tc` and `ip link`. */
export interface TcCli {
  /**
   * Runs the commands through `tc -batch` (one process, tc's own command file — no shell), in
   * order, stopping at the first failure (TcBatchError names it); `force` goes on past failures.
   */
  batch(commands: readonly (readonly string[])[], opts?: { force?: boolean }): Promise<void>;
  /** `ip ARGS`; rejects with a ProcessError. */
  ip(args: readonly string[]): Promise<void>;
  /** True when the kernel has the fq_codel qdisc (probed on `dev`, whose root is then deleted). */
  hasFqCodel(dev: string): Promise<boolean>;
}

export interface TcCliOptions {
  readonly tc: string;
  readonly ip: string;
}

// tc splits a batch line on white space and gives quotes and `#` meaning: every word we write
// is a name, number, handle, address or keyword, checked here so a line means what it says.
const WORD = /^[A-Za-z0-9_=+.:/-]+$/;

/** `TcCli` over iproute2's `tc` and `ip`, argument arrays only. */
export function createTcCli(runner: ProcessRunner, bins: TcCliOptions): TcCli {
  return {
    async batch(commands, opts = {}) {
      if (commands.length === 0) return;
      const lines = commands.map((args) => {
        for (const w of args) if (!WORD.test(w)) throw new Error(`tc batch: unsafe word "${w}"`);
        return args.join(' ');
      });
      const dir = await mkdtemp(join(tmpdir(), 'wgfleet-tc-'));
      try {
        const file = join(dir, 'batch');
        await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
        const args = opts.force ? ['-force', '-batch', file] : ['-batch', file];
        await runner.run(bins.tc, args, { timeoutMs: 300_000 });
      } catch (e) {
        if (!(e instanceof ProcessError)) throw e;
        const m = /Command failed .*:(\d+)\s*$/m.exec(e.stderr);
        throw new TcBatchError(m ? Number(m[1]) - 1 : null, e.stderr || e.message);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async ip(args) {
      await runner.run(bins.ip, args);
    },
    async hasFqCodel(dev) {
      try {
        await runner.run(bins.tc, [
          'qdisc',
          'replace',
          'dev',
          dev,
          'root',
          'handle',
          '1:',
          'fq_codel',
        ]);
      } catch {
        return false;
      }
      await runner.run(bins.tc, ['qdisc', 'del', 'dev', dev, 'root']).catch(() => undefined);
      return true;
    },
  };
}
