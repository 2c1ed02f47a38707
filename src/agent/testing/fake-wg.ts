import { Readable } from 'node:stream';
import { ProcessError, type StreamedProcess } from '../sys/process-runner.js';
import type { LinkInfo, LinkState } from '../wg/link-info.js';
import type { PeerSpec, WgCli } from '../wg/wg-cli.js';
import { wgPublicKey } from '../../shared/keys.js';
import { parseConf } from '../wg/conf-file.js';
import { readFile } from 'node:fs/promises';

interface FakeIface {
  privateKey: string;
  listenPort: number;
  peers: Map<string, PeerSpec & { rx: number; tx: number }>;
  link: LinkState;
}

/**
 * An in-memory stand-in for wg/wg-quick and `ip`, for unit tests of the agent's HTTP edge and use
 * cases. It counts every call, so a test can prove that bad input spawned nothing. The real tools
 * are exercised by the e2e tests in test/e2e.
 */
export class FakeWg implements WgCli, LinkInfo {
  readonly ifaces = new Map<string, FakeIface>();
  /** Bumped each time an interface is (re)created, like a kernel ifindex. */
  private readonly generation = new Map<string, number>();
  calls = 0;
  failNext: string | null = null;

  addInterface(name: string, privateKey: string, listenPort = 51820): void {
    this.generation.set(name, (this.generation.get(name) ?? 0) + 1);
    this.ifaces.set(name, {
      privateKey,
      listenPort,
      peers: new Map(),
      link: { addresses: ['10.0.0.1/24'], mtu: 1420, up: true },
    });
  }

  /** Traffic through a peer: its raw counters grow, as WireGuard's would. */
  addTraffic(name: string, key: string, rx: number, tx = 0): void {
    const p = this.ifaces.get(name)?.peers.get(key);
    if (!p) throw new Error(`no peer ${key} on ${name}`);
    p.rx += rx;
    p.tx += tx;
  }

  private get(name: string): FakeIface {
    this.calls++;
    if (this.failNext) {
      const stderr = this.failNext;
      this.failNext = null;
      throw new ProcessError('wg', [], 1, stderr);
    }
    const i = this.ifaces.get(name);
    if (!i) throw new ProcessError('wg', [], 1, `Unable to access interface: No such device\n`);
    return i;
  }

  async instance(name: string) {
    return this.ifaces.has(name) ? String(this.generation.get(name) ?? 0) : null;
  }
  async links() {
    this.calls++;
    return new Map([...this.ifaces].map(([n, i]) => [n, i.link]));
  }
  async interfaces() {
    this.calls++;
    return [...this.ifaces.keys()];
  }
  async dump(name: string) {
    const i = this.get(name);
    const head = `${i.privateKey}\t${wgPublicKey(i.privateKey)}\t${i.listenPort}\toff`;
    const peers = [...i.peers.values()].map((p) =>
      [
        p.publicKey,
        p.presharedKey ?? '(none)',
        p.endpoint ?? '(none)',
        p.allowedIps.join(',') || '(none)',
        0,
        p.rx,
        p.tx,
        p.persistentKeepalive ?? 'off',
      ].join('\t'),
    );
    return [head, ...peers].join('\n') + '\n';
  }
  async transfer(name: string) {
    const i = this.get(name);
    return [...i.peers.values()].map((p) => `${p.publicKey}\t${p.rx}\t${p.tx}\n`).join('');
  }
  dumpStream(name: string): StreamedProcess {
    const text = this.dump(name);
    return {
      stdout: Readable.from(
        (async function* () {
          yield await text.catch(() => '');
        })(),
      ),
      done: text.then(() => undefined),
    };
  }
  async showConf(name: string) {
    const i = this.get(name);
    return `[Interface]\nListenPort = ${i.listenPort}\nPrivateKey = ${i.privateKey}\n`;
  }
  async setPeer(name: string, peer: PeerSpec) {
    const i = this.get(name);
    const old = i.peers.get(peer.publicKey);
    i.peers.set(peer.publicKey, { ...peer, rx: old?.rx ?? 0, tx: old?.tx ?? 0 });
  }
  async removePeer(name: string, key: string) {
    this.get(name).peers.delete(key);
  }
  async quickUp(path: string) {
    this.calls++;
    const name = /([^/]+)\.conf$/.exec(path)?.[1] ?? '';
    const conf = parseConf(await readFile(path, 'utf8'));
    const priv = /PrivateKey\s*=\s*(\S+)/.exec(conf.head)?.[1] ?? '';
    const port = Number(/ListenPort\s*=\s*(\d+)/.exec(conf.head)?.[1] ?? 0);
    this.addInterface(name, priv, port);
    for (const p of conf.peers) await this.setPeer(name, p);
  }
  async quickDown(path: string) {
    this.calls++;
    this.ifaces.delete(/([^/]+)\.conf$/.exec(path)?.[1] ?? '');
  }
}
