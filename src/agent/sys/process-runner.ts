import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/** Result of a finished process. */
export interface ProcessResult {
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly timeoutMs?: number;
}

/** A running process whose output is read as it comes. */
export interface StreamedProcess {
  readonly stdout: Readable;
  /** Settles when the process ends: rejects with a ProcessError unless it exited 0. */
  readonly done: Promise<void>;
}

/** Runs a program with an argument array. Never a shell. */
export interface ProcessRunner {
  run(file: string, args: readonly string[], options?: RunOptions): Promise<ProcessResult>;
  stream(file: string, args: readonly string[], options?: RunOptions): StreamedProcess;
}

/** A process that exited non-zero, was killed, or could not start. */
export class ProcessError extends Error {
  constructor(
    readonly file: string,
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    cause?: unknown,
  ) {
    super(`${file} ${args[0] ?? ''} failed${exitCode === null ? '' : ` (exit ${exitCode})`}`, {
      cause,
    });
  }
}

/**
 * Spawns `file args` (no shell) and settles `done` with its stderr when it exits 0, or a
 * ProcessError otherwise. Stdout is left to the caller.
 */
function spawnChecked(
  env: NodeJS.ProcessEnv,
  file: string,
  args: readonly string[],
  options: RunOptions,
): { stdout: Readable; done: Promise<string> } {
  const child = spawn(file, args, {
    shell: false,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 30_000,
  });
  const err: Buffer[] = [];
  child.stderr.on('data', (b: Buffer) => err.push(b));
  const done = new Promise<string>((resolve, reject) => {
    child.on('error', (e) => reject(new ProcessError(file, args, null, e.message, e)));
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolve(stderr);
      else reject(new ProcessError(file, args, code, stderr));
    });
  });
  return { stdout: child.stdout, done };
}

/** The production runner: `spawn(file, args)` with `shell: false`. */
export function createProcessRunner(env: NodeJS.ProcessEnv = process.env): ProcessRunner {
  return {
    stream(file, args, options = {}) {
      const { stdout, done } = spawnChecked(env, file, args, options);
      const finished = done.then(() => undefined);
      finished.catch(() => undefined); // observed by the caller; never an unhandled rejection
      return { stdout, done: finished };
    },
    async run(file, args, options = {}) {
      const { stdout, done } = spawnChecked(env, file, args, options);
      const out: Buffer[] = [];
      stdout.on('data', (b: Buffer) => out.push(b));
      const stderr = await done; // 'close' comes after stdout has ended
      return { stdout: Buffer.concat(out).toString('utf8'), stderr };
    },
  };
}
