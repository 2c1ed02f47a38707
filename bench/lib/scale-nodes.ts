import { randomBytes } from 'node:crypto';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createCredentials } from '../../src/agent/credentials/create-credentials.js';
import type { Credentials } from '../../src/agent/credentials/credentials.js';
import { formatJoinString } from '../../src/shared/join-string.js';
import type { DumpPeer } from '../../src/shared/wire/agent-api.js';
import {
  DUMP_TSV_TYPE,
  dumpTsvHead,
  dumpTsvPeer,
  dumpTsvTail,
} from '../../src/shared/wire/dump-tsv.js';
import { publicKeyOf } from './ingest-fixture.js';

const IFACE = 'wg0';
const VERSION = '9.9.9-scale';

/** What the simulated nodes were asked, summed over all of them. */
export interface NodeCalls {
  readonly dumps: number;
  readonly allowances: number;
  /** Peer writes (PUT/DELETE of a peer): none are expected, the panel imported what it sees. */
  readonly peerWrites: number;
  /** Anything else (answered 404). */
  readonly other: number;
}

/** `10.a.b.c/32` for peer `i` (unique on the node, as WireGuard requires). */
function peerAddress(i: number): string {
  const n = i + 2;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}/32`;
}

/**
 * One simulated node: an HTTPS server on 127.0.0.1 speaking the part of the agent API the panel
 * uses when it adds and polls a node (`/v1/health`, `/v1/wg`, the compact dump, allowances,
 * enforcements), for one interface of `peers` peers with random keys. Each dump is a recorded
 * state whose counters moved since the last one (every peer's raw counters and its ledger totals
 * grow by a fixed step per dump), as from an agent with a ledger (an epoch, totals, an empty
 * `enforcements` line). The token is checked as the agent checks it.
 */
class SimulatedNode {
  private round = 0;
  private readonly keys: Buffer;
  private readonly publicKey = randomBytes(32).toString('base64');
  private readonly epoch = `scale-${randomBytes(6).toString('hex')}`;
  readonly server: https.Server;
  port = 0;

  constructor(
    private readonly creds: Credentials,
    private readonly peers: number,
    private readonly calls: {
      dumps: number;
      allowances: number;
      peerWrites: number;
      other: number;
    },
  ) {
    this.keys = randomBytes(32 * peers);
    this.server = https.createServer({ key: creds.keyPem, cert: creds.certPem }, (req, res) =>
      this.answer(req, res),
    );
    this.server.keepAliveTimeout = 60_000;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const addr = this.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : 0;
  }

  get join(): string {
    return formatJoinString({
      host: '127.0.0.1',
      port: this.port,
      token: this.creds.token,
      fingerprint: this.creds.fingerprint,
    });
  }

  /** Stops listening, then ends every connection (kept-alive ones would hold close() open). */
  close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    return closed;
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    // Bodies (allowances: ~1 MB for 10k peers) are read to the end and dropped.
    req.resume();
    req.once('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const base = `/v1/wg/${IFACE}`;
      if (req.method === 'GET' && path === '/v1/health')
        return json(200, { status: 'ok', version: VERSION });
      if (req.headers.authorization !== `Bearer ${this.creds.token}`)
        return json(401, { error: 'unauthorized', message: 'bad token' });
      if (req.method === 'GET' && path === '/v1/wg')
        return json(200, { interfaces: [this.summary()] });
      if (req.method === 'GET' && path === `${base}/dump`) return this.dump(res);
      if (req.method === 'PUT' && path === `${base}/allowances`) {
        this.calls.allowances++;
        return json(200, { ok: true });
      }
      if (req.method === 'GET' && path === `${base}/enforcements`)
        return json(200, { enforcements: [] });
      if (req.method === 'POST' && path === `${base}/enforcements/ack`)
        return json(200, { ok: true });
      if ((req.method === 'PUT' || req.method === 'DELETE') && path.startsWith(`${base}/peers/`)) {
        this.calls.peerWrites++;
        return json(200, { ok: true });
      }
      if (req.method === 'GET' && path === '/v1/metrics') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('');
      }
      this.calls.other++;
      json(404, { error: 'not_found', message: `${req.method} ${path}` });
    });
  }

  private summary() {
    return {
      name: IFACE,
      public_key: this.publicKey,
      listen_port: 51820,
      addresses: ['10.0.0.1/8'],
      mtu: 1420,
      peer_count: this.peers,
      up: true,
    };
  }

  /** The compact dump at the next round, written with the agent's own line encoders. */
  private dump(res: ServerResponse): void {
    this.calls.dumps++;
    const step = ++this.round;
    const handshake = Math.floor(Date.now() / 1000) - 5;
    const parts: string[] = [
      dumpTsvHead({
        name: IFACE,
        public_key: this.publicKey,
        listen_port: 51820,
        fwmark: null,
        instance: '7',
        epoch: this.epoch,
      }),
    ];
    const p: { -readonly [K in keyof DumpPeer]: DumpPeer[K] } = {
      public_key: '',
      endpoint: null,
      allowed_ips: [],
      latest_handshake: handshake,
      transfer_rx: 0,
      transfer_tx: 0,
      persistent_keepalive: null,
    };
    for (let i = 0; i < this.peers; i++) {
      p.public_key = publicKeyOf(this.keys, i);
      p.endpoint = `198.51.100.${i % 250}:${40000 + (i % 20000)}`;
      p.allowed_ips = [peerAddress(i)];
      p.transfer_rx = step * 1000 + i;
      p.transfer_tx = step * 3000 + i;
      p.total_rx = 1_000_000_000 + step * 1000 + i;
      p.total_tx = 2_000_000_000 + step * 3000 + i;
      parts.push(dumpTsvPeer(p));
    }
    parts.push(dumpTsvTail([], this.peers));
    res.writeHead(200, { 'content-type': DUMP_TSV_TYPE });
    res.end(parts.join(''));
  }
}

/**
 * Simulated nodes, all in this process, each on a port of its own (one credential for all: the
 * panel pins each node's fingerprint, it does not need them to differ). Grows on demand.
 */
export class SimulatedNodes {
  private readonly nodes: SimulatedNode[] = [];
  private readonly counts = { dumps: 0, allowances: 0, peerWrites: 0, other: 0 };

  private constructor(
    private readonly creds: Credentials,
    private readonly peers: number,
  ) {}

  static async create(peers: number): Promise<SimulatedNodes> {
    return new SimulatedNodes(await createCredentials(['127.0.0.1']), peers);
  }

  get size(): number {
    return this.nodes.length;
  }

  /** Starts `n` more nodes; resolves with their join strings. */
  async add(n: number): Promise<string[]> {
    const joins: string[] = [];
    for (let i = 0; i < n; i++) {
      const node = new SimulatedNode(this.creds, this.peers, this.counts);
      await node.listen();
      this.nodes.push(node);
      joins.push(node.join);
    }
    return joins;
  }

  calls(): NodeCalls {
    return { ...this.counts };
  }

  async close(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.close()));
    this.nodes.length = 0;
  }
}
