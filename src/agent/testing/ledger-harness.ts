import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { generateWgKeyPair } from '../../shared/keys.js';
import type { Dump } from '../../shared/wire/agent-api.js';
import { KeyedLock } from '../app/keyed-lock.js';
import { NodeLedger } from '../app/node-ledger.js';
import type { AgentDeps } from '../app/ports.js';
import { ReadLoop } from '../app/read-loop.js';
import { buildAgentApp } from '../http/app.js';
import { AgentMetrics } from '../http/metrics.js';
import { createConfStore } from '../wg/conf-store.js';
import { FakeWg } from './fake-wg.js';

export const TOKEN = 'test-token-'.padEnd(43, 'x');
export const AUTH = { authorization: `Bearer ${TOKEN}` };

/**
 * An agent over FakeWg with its node ledger in a temp state folder and a read loop the test ticks
 * by hand; `skewMs` moves the loop's clock (the panel "away" without waiting). `restart()` builds
 * a new agent on the same state folder and the same WireGuard, as after a crash.
 */
export class LedgerHarness {
  skewMs = 0;
  /** The kernel boot id the next build sees (change it, then `restart()`: a reboot). */
  bootId = 'boot-1';
  app!: Awaited<ReturnType<typeof buildAgentApp>>;
  ledger!: NodeLedger;
  loop!: ReadLoop;
  deps!: AgentDeps;

  private constructor(
    readonly wg: FakeWg,
    readonly dir: string,
  ) {}

  static async start(): Promise<LedgerHarness> {
    const wg = new FakeWg();
    wg.addInterface('wg0', generateWgKeyPair().privateKey);
    const h = new LedgerHarness(wg, await mkdtemp(join(tmpdir(), 'wgfleet-ledger-')));
    await h.build();
    return h;
  }

  readonly now = () => Date.now() + this.skewMs;

  private async build(): Promise<void> {
    const log = pino({ level: 'silent' });
    this.ledger = await NodeLedger.load({
      stateDir: join(this.dir, 'state'),
      ports: { wg: this.wg, links: this.wg },
      bootId: this.bootId,
      now: this.now,
      log,
    });
    this.deps = {
      wg: this.wg,
      links: this.wg,
      confs: createConfStore(join(this.dir, 'conf')),
      lock: new KeyedLock(),
      onlyInterfaces: null,
      allowHooks: false,
      ledger: this.ledger,
    };
    this.loop = new ReadLoop(this.deps, this.ledger, {
      intervalMs: 1000,
      flushMs: 5000,
      now: this.now,
      log,
    });
    this.app = await buildAgentApp({
      deps: this.deps,
      token: TOKEN,
      version: '9.9.9',
      metrics: new AgentMetrics(),
      logger: log,
    });
  }

  /** A crash: nothing saved beyond what was, a new agent on the same folder and WireGuard. */
  async restart(): Promise<void> {
    await this.app.close();
    this.skewMs = 0;
    await this.build();
  }

  async destroy(): Promise<void> {
    await this.app.close();
    await rm(this.dir, { recursive: true, force: true });
  }

  async putPeer(key: string, ip = '10.0.0.2/32') {
    const url = `/v1/wg/wg0/peers/${encodeURIComponent(key)}`;
    const body = { allowed_ips: [ip] };
    return this.app.inject({ method: 'PUT', url, headers: AUTH, payload: body });
  }

  async dump() {
    const res = await this.app.inject({ url: '/v1/wg/wg0/dump', headers: AUTH });
    if (res.statusCode !== 200) throw new Error(`dump: ${res.statusCode} ${res.body}`);
    return res.json() as Dump;
  }

  /** `total_rx` and `total_tx` of the peer in a dump. */
  async totals(key: string): Promise<[number, number]> {
    const p = (await this.dump()).peers.find((x) => x.public_key === key);
    return [p?.total_rx ?? -1, p?.total_tx ?? -1];
  }
}
