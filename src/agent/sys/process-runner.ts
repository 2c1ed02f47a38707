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

/** The production runner: `spawn(file, args)` with `shell: false`, output collected in memory. */
export function createProcessRunner(env: NodeJS.ProcessEnv = process.env): ProcessRunner {
  return {
    stream(file, args, options = {}) {
      const child = spawn(file, args, {
        shell: false,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: options.timeoutMs ?? 30_000,
      });
      const err: Buffer[] = [];
      child.stderr.on('data', (b: Buffer) => err.push(b));
      const done = new Promise<void>((resolve, reject) => {
        child.on('error', (e) => reject(new ProcessError(file, args, null, e.message, e)));
        child.on('close', (code) =>
          code === 0
            ? resolve()
            : reject(new ProcessError(file, args, code, Buffer.concat(err).toString('utf8'))),
        );
      });
      done.catch(() => undefined); // observed by the caller; never an unhandled rejection
      return { stdout: child.stdout, done };
    },
    run(file, args, options = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(file, args, {
          shell: false,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
          timeout: options.timeoutMs ?? 30_000,
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on('data', (b: Buffer) => out.push(b));
        child.stderr.on('data', (b: Buffer) => err.push(b));
        child.on('error', (e) => reject(new ProcessError(file, args, null, e.message, e)));
        child.on('close', (code) => {
          const stdout = Buffer.concat(out).toString('utf8');
          const stderr = Buffer.concat(err).toString('utf8');
          if (code === 0) resolve({ stdout, stderr });
          else reject(new ProcessError(file, args, code, stderr));
        });
      });
    },
  };
}
