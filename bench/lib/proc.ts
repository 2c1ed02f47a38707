import { execFile, spawn, type ChildProcess } from 'node:child_process';

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Killed (SIGKILL) after this long; default 60 s. */
  readonly timeoutMs?: number;
}

/** Runs `file` with an argument array (never a shell); resolves with stdout, rejects with stderr. */
export function run(file: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        env: opts.env ?? process.env,
        cwd: opts.cwd,
        timeout: opts.timeoutMs ?? 60_000,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const detail = (stderr.trim() || stdout.trim()).split('\n').slice(-5).join('\n');
        reject(
          new Error(`${file} ${args.join(' ')} failed: ${err.message.split('\n')[0]}\n${detail}`),
        );
      },
    );
  });
}

/** `run` inside network namespace `ns`. */
export const runIn = (ns: string, file: string, args: readonly string[], opts: RunOptions = {}) =>
  run('ip', ['netns', 'exec', ns, file, ...args], opts);

/** How a process ended: its exit code, or the signal that ended it. */
export type Exit = { readonly code: number | null; readonly signal: NodeJS.Signals | null };

const TAIL_BYTES = 8 * 1024;

/**
 * A long-running child this benchmark owns: stopped by its own PID, never by name. Its output is
 * drained (so it never blocks on a full pipe) and the last few KiB kept for error messages.
 */
export class OwnedProcess {
  readonly exited: Promise<Exit>;
  private tail = '';
  private exit: Exit | null = null;

  private constructor(
    readonly label: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (b: Buffer) => {
      this.tail = (this.tail + b.toString('utf8')).slice(-TAIL_BYTES);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('error', (e) => {
        this.tail += `\n${e.message}`;
        this.exit ??= { code: null, signal: null };
        resolve(this.exit);
      });
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  /** Spawns `file args` (no shell) with stdin closed and stdout/stderr collected. */
  static start(label: string, file: string, args: readonly string[], opts: RunOptions = {}) {
    const child = spawn(file, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
    });
    return new OwnedProcess(label, child);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.label} did not start: ${this.tail}`);
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === null && this.child.pid !== undefined;
  }

  /** The last lines the process printed. */
  output(): string {
    return this.tail.trim();
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. Resolves once it has exited. */
  async stop(graceMs = 5_000): Promise<Exit> {
    if (!this.running) return this.exited;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs);
    });
    const first = await Promise.race([this.exited, late]);
    clearTimeout(timer);
    if (first === 'late') this.child.kill('SIGKILL');
    return this.exited;
  }
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true; throws `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
