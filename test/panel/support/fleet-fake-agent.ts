// A real wgfleet agent (HTTP app, TLS, token) over an in-memory `wg` (FakeWg), on 127.0.0.1:
// API tests of the fleet join, poll and converge against it without network namespaces.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { KeyedLock } from '../../../src/agent/app/keyed-lock.js';
import { createCredentials } from '../../../src/agent/credentials/create-credentials.js';
import type { Credentials } from '../../../src/agent/credentials/credentials.js';
import { buildAgentApp } from '../../../src/agent/http/app.js';
import { AgentMetrics } from '../../../src/agent/http/metrics.js';
import { FakeWg } from '../../../src/agent/testing/fake-wg.js';
import { createConfStore } from '../../../src/agent/wg/conf-store.js';
import { formatJoinString } from '../../../src/shared/join-string.js';

/** A running fake agent. `wg` is its in-memory WireGuard: tests change it "by hand". */
export class FakeAgent {
  private app: Awaited<ReturnType<typeof buildAgentApp>> | null = null;
  port = 0;

  private constructor(
    readonly wg: FakeWg,
    public creds: Credentials,
    private readonly dir: string,
    readonly version: string,
  ) {}

  /** Starts an agent; `credentials` lets two agents share (or differ in) identity. */
  static async start(
    opts: { version?: string; credentials?: Credentials } = {},
  ): Promise<FakeAgent> {
    const creds = opts.credentials ?? (await createCredentials(['127.0.0.1']));
    const dir = await mkdtemp(join(tmpdir(), 'wgfleet-fake-agent-'));
    const agent = new FakeAgent(new FakeWg(), creds, dir, opts.version ?? '9.9.9-fake');
    await agent.listen(0);
    return agent;
  }

  /** `wgfleet://127.0.0.1:PORT?token=…&fingerprint=sha256:…`. */
  get join(): string {
    return formatJoinString({
      host: '127.0.0.1',
      port: this.port,
      token: this.creds.token,
      fingerprint: this.creds.fingerprint,
    });
  }

  /** Where the agent keeps an interface's wg-quick file. */
  confPath(iface: string): string {
    return join(this.dir, `${iface}.conf`);
  }

  get running(): boolean {
    return this.app !== null;
  }

  /** Stops answering (connections are refused), keeping the in-memory WireGuard. */
  async stop(): Promise<void> {
    const app = this.app;
    this.app = null;
    await app?.close();
  }

  /** Answers again, on the same port. */
  async restart(): Promise<void> {
    if (!this.app) await this.listen(this.port);
  }

  /** `agent init --rotate`: new token and certificate, same port and WireGuard state. */
  async rotate(): Promise<void> {
    await this.stop();
    this.creds = await createCredentials(['127.0.0.1']);
    await this.listen(this.port);
  }

  /** Stops and removes its folder. */
  async destroy(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async listen(port: number): Promise<void> {
    const app = await buildAgentApp({
      deps: {
        wg: this.wg,
        links: this.wg,
        confs: createConfStore(this.dir),
        lock: new KeyedLock(),
        onlyInterfaces: null,
        allowHooks: false,
        ledger: null,
      },
      token: this.creds.token,
      version: this.version,
      metrics: new AgentMetrics(),
      logger: pino({ level: 'silent' }),
      https: { key: this.creds.keyPem, cert: this.creds.certPem },
    });
    await app.listen({ host: '127.0.0.1', port });
    const addr = app.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
    this.app = app;
  }
}
