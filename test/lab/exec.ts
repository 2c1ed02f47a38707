import { execFile } from 'node:child_process';

/** Env every process that may start wireguard-go needs (no kernel WireGuard on the test hosts). */
export const WG_USERSPACE_ENV = { WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: '1' } as const;

export interface ExecOptions {
  /** Written to the child's stdin, then closed (read it with read(0); `/dev/stdin` cannot be opened). */
  readonly input?: string;
  /** Killed (SIGKILL) after this long; default 15 s. */
  readonly timeoutMs?: number;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** A process that failed; carries its output so a test failure says why. */
export class ExecError extends Error {
  constructor(
    readonly file: string,
    readonly args: readonly string[],
    readonly code: number | string | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`${file} ${args.join(' ')} failed (${String(code)}): ${stderr.trim() || stdout.trim()}`);
  }
}

/**
 * Runs `file` with an argument array (never a shell) and resolves with its stdout.
 * Rejects with an `ExecError` when it exits non-zero or times out.
 */
export function exec(file: string, args: readonly string[], opts: ExecOptions = {}) {
  return new Promise<string>((resolve, reject) => {
    const child = execFile(
      file,
      args,
      {
        timeout: opts.timeoutMs ?? 15_000,
        killSignal: 'SIGKILL',
        maxBuffer: 16 * 1024 * 1024,
        cwd: opts.cwd,
        env: opts.env ?? { ...process.env, ...WG_USERSPACE_ENV },
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        if (err) {
          const code = (err as { code?: number | string }).code ?? err.signal ?? null;
          reject(new ExecError(file, args, code, stdout, stderr));
        } else resolve(stdout);
      },
    );
    child.stdin?.on('error', () => undefined); // the child may exit before reading stdin
    child.stdin?.end(opts.input ?? '');
  });
}

/** `exec` inside network namespace `ns` (`ip netns exec NS file args…`). */
export function execIn(ns: string, file: string, args: readonly string[], opts: ExecOptions = {}) {
  return exec('ip', ['netns', 'exec', ns, file, ...args], opts);
}

/** Runs `ip -n NS …` (or plain `ip …` when `ns` is null) and returns stdout. */
export function ip(ns: string | null, args: readonly string[]) {
  return exec('ip', ns === null ? args : ['-n', ns, ...args]);
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
