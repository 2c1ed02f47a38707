import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** A tiny panel API client for benchmarks: keep-alive, session cookie, timing to the last byte. */
export class PanelClient {
  private readonly agent: http.Agent;
  private cookie = '';

  /** `keepAlive: false`: a new connection per request (no race with the panel's idle timeout). */
  constructor(
    private readonly baseUrl: string,
    { keepAlive = true }: { keepAlive?: boolean } = {},
  ) {
    this.agent = new http.Agent({ keepAlive, maxSockets: 1 });
  }

  /** Sends a request; resolves with status, body and the time to the last byte (ms). */
  request(method: string, path: string, body?: unknown) {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const t0 = performance.now();
    return new Promise<{ status: number; body: Buffer; ms: number }>((resolve, reject) => {
      const req = http.request(
        new URL(path, this.baseUrl),
        {
          method,
          agent: this.agent,
          headers: {
            ...(this.cookie ? { cookie: this.cookie } : {}),
            ...(payload ? { 'content-type': 'application/json' } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const set = res.headers['set-cookie']?.find((c) => c.startsWith('wgfleet_session='));
            if (set) this.cookie = set.split(';')[0] ?? '';
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks),
              ms: performance.now() - t0,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** A JSON call that must succeed (`status: true`); resolves with `data`. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, body);
    const json = JSON.parse(res.body.toString('utf8')) as {
      status: boolean;
      message: string | null;
      data: T;
    };
    if (res.status !== 200 || !json.status)
      throw new Error(`${method} ${path}: ${res.status} ${json.message}`);
    return json.data;
  }

  close(): void {
    this.agent.destroy();
  }
}
