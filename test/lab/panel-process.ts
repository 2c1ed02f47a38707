import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { CLI_COMMAND, REPO_ROOT, cliEnv } from './agent-process.js';
import { waitFor } from '../support/wait-for.js';

/** A free TCP port on 127.0.0.1 (closed again at once: a later bind can race, rarely). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface PanelRunOptions {
  /** Arguments after `panel` (`--data-dir`, `--database`, …); `--listen` is added. */
  readonly args: readonly string[];
  /** Extra environment (the admin password is set unless given). */
  readonly env?: NodeJS.ProcessEnv;
  /** The `wgfleet` command; default CLI_COMMAND (the fresh bundle, else the source). */
  readonly command?: readonly string[];
}

/** A `wgfleet panel` process on 127.0.0.1; `base` is its URL. */
export class PanelProcess {
  private readonly lines: string[] = [];
  readonly exited: Promise<number | null>;

  private constructor(
    private readonly proc: ChildProcess,
    readonly base: string,
  ) {
    const onData = (b: Buffer) => {
      this.lines.push(b.toString());
      if (this.lines.length > 5000) this.lines.splice(0, this.lines.length - 5000);
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
    this.exited = new Promise((r) => proc.once('exit', (code) => r(code)));
  }

  /** Spawns the panel; does not wait for it (see `ready`). */
  static async spawn(opts: PanelRunOptions): Promise<PanelProcess> {
    const port = await freePort();
    const [node = process.execPath, ...rest] = opts.command ?? CLI_COMMAND;
    const proc = spawn(node, [...rest, 'panel', ...opts.args, '--listen', `127.0.0.1:${port}`], {
      cwd: REPO_ROOT,
      env: { ...cliEnv(), WGFLEET_ADMIN_PASSWORD: 'panel-process-password', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new PanelProcess(proc, `http://127.0.0.1:${port}`);
  }

  /** Spawns the panel and waits (bounded) until /healthz answers. */
  static async start(opts: PanelRunOptions): Promise<PanelProcess> {
    const panel = await PanelProcess.spawn(opts);
    try {
      await panel.ready();
    } catch (e) {
      await panel.stop();
      throw e;
    }
    return panel;
  }

  /** Everything the process wrote so far (stdout and stderr). */
  output(): string {
    return this.lines.join('');
  }

  /** The process id (for signals a test sends itself: SIGSTOP, SIGCONT). */
  get pid(): number {
    if (this.proc.pid === undefined) throw new Error('panel process did not start');
    return this.proc.pid;
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async ready(timeoutMs = 60_000): Promise<void> {
    await waitFor(
      `the panel on ${this.base}`,
      async () => {
        if (!this.running) throw new Error(`panel exited:\n${this.output()}`);
        const res = await fetch(`${this.base}/healthz`).catch(() => null);
        return res?.status === 200 || undefined;
      },
      { timeoutMs, intervalMs: 100 },
    );
  }

  /** SIGKILL at once (a crash: no shutdown work runs); resolves when it is gone. Idempotent. */
  async kill(): Promise<void> {
    if (this.running) this.proc.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code. Idempotent. */
  async stop(graceMs = 5000): Promise<number | null> {
    if (this.running) {
      this.proc.kill('SIGTERM');
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    return this.exited;
  }
}

/** The envelope the panel's API answers with. */
export interface Envelope {
  readonly status: boolean;
  readonly message: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read the data they asked for
  readonly data: any;
}

/** A signed-in session of a panel (its session cookie), for tests that drive the API. */
export class PanelSession {
  private constructor(
    readonly base: string,
    readonly cookie: string,
  ) {}

  /** Signs `username` in at `base`; fails the test unless the panel answers 200. */
  static async signIn(base: string, password: string, username = 'admin'): Promise<PanelSession> {
    const res = await fetch(`${base}/api/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (res.status !== 200) throw new Error(`sign-in at ${base} answered ${res.status}`);
    return new PanelSession(base, (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '');
  }

  /** Calls the API; throws (naming the route and the answer) unless it answers 200. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see Envelope.data
  async api(method: 'GET' | 'POST', path: string, body?: object): Promise<any> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { cookie: this.cookie, ...(body && { 'content-type': 'application/json' }) },
      ...(body && { body: JSON.stringify(body) }),
    });
    const json = (await res.json()) as Envelope;
    if (res.status !== 200) {
      throw new Error(
        `${method} ${path} answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`,
      );
    }
    return json.data;
  }
}
