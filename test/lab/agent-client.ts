import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type {
  AllowancesPut,
  Dump,
  EnforcementList,
  ErrorBody,
  Health,
  InterfaceCreate,
  InterfaceList,
  InterfaceSummary,
  PeerPut,
} from '../../src/shared/wire/agent-api.js';
import { normalizeFingerprint, type JoinInfo } from './join-string.js';

/** An answer of the agent: status, headers, raw text, and the JSON body when it is JSON. */
export interface AgentResponse<T = unknown> {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly body: T;
}

export interface RequestOptions {
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as is (with `Content-Type: application/json` unless `headers` say otherwise). */
  readonly rawBody?: string | Buffer;
  readonly headers?: Record<string, string>;
  readonly timeoutMs?: number;
}

/** The agent API's error answer. */
export type AgentErrorResponse = AgentResponse<ErrorBody>;

/**
 * A small HTTPS client for the agent API, for tests: bearer token, JSON, and the certificate
 * pinned to the join string's fingerprint (checked when TLS connects, before the request goes
 * out, and again on the response). Never throws on an HTTP status: tests assert on it.
 */
export class AgentClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string | null,
    readonly fingerprint: string,
  ) {}

  static fromJoin(join: JoinInfo): AgentClient {
    return new AgentClient(join.baseUrl, join.token, join.fingerprint);
  }

  /** The same client with another token (null: no Authorization header). */
  withToken(token: string | null): AgentClient {
    return new AgentClient(this.baseUrl, token, this.fingerprint);
  }

  /** Any request; `path` is used verbatim (encode path segments yourself, see `seg`). */
  request<T = unknown>(method: string, path: string, opts: RequestOptions = {}) {
    const url = new URL(path, this.baseUrl);
    const payload =
      opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    const headers: Record<string, string> = { accept: 'application/json, text/plain' };
    if (this.token !== null) headers.authorization = `Bearer ${this.token}`;
    if (payload !== undefined) headers['content-type'] = 'application/json';
    Object.assign(headers, opts.headers);
    return new Promise<AgentResponse<T>>((resolve, reject) => {
      // Checked once TLS is up, before the request (and its token) is sent; the response is
      // read only from a connection that passed (the socket may be gone by then).
      let verified = false;
      const mismatch = () => new Error('agent certificate does not match the pinned fingerprint');
      const req = request(
        url,
        {
          method,
          headers,
          rejectUnauthorized: false,
          agent: false,
          timeout: opts.timeoutMs ?? 30_000,
        },
        (res) => {
          if (!verified) {
            req.destroy(mismatch());
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = undefined;
            if (/json/.test(res.headers['content-type'] ?? ''))
              try {
                body = JSON.parse(text);
              } catch {
                body = undefined; // tests see `text`
              }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: body as T });
          });
        },
      );
      req.on('socket', (s) =>
        (s as TLSSocket).once('secureConnect', () => {
          const cert = (s as TLSSocket).getPeerX509Certificate();
          verified =
            cert !== undefined && normalizeFingerprint(cert.fingerprint256) === this.fingerprint;
          if (!verified) req.destroy(mismatch());
        }),
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  health() {
    return this.request<Health>('GET', '/v1/health');
  }
  interfaces() {
    return this.request<InterfaceList>('GET', '/v1/wg');
  }
  dump(iface: string) {
    return this.request<Dump>('GET', `/v1/wg/${seg(iface)}/dump`);
  }
  /** Adds or replaces a peer (the key is percent-encoded for the path). */
  putPeer(iface: string, publicKey: string, body: PeerPut) {
    return this.request<unknown>('PUT', `/v1/wg/${seg(iface)}/peers/${seg(publicKey)}`, { body });
  }
  deletePeer(iface: string, publicKey: string) {
    return this.request<unknown>('DELETE', `/v1/wg/${seg(iface)}/peers/${seg(publicKey)}`);
  }
  createInterface(body: InterfaceCreate) {
    return this.request<InterfaceSummary>('POST', '/v1/wg', { body });
  }
  up(iface: string) {
    return this.request<unknown>('POST', `/v1/wg/${seg(iface)}/up`);
  }
  down(iface: string) {
    return this.request<unknown>('POST', `/v1/wg/${seg(iface)}/down`);
  }
  deleteInterface(iface: string) {
    return this.request<unknown>('DELETE', `/v1/wg/${seg(iface)}`);
  }
  /** Replaces the interface's allowances (what the agent enforces itself while the panel is away). */
  putAllowances(iface: string, body: AllowancesPut) {
    return this.request<unknown>('PUT', `/v1/wg/${seg(iface)}/allowances`, { body });
  }
  enforcements(iface: string) {
    return this.request<EnforcementList>('GET', `/v1/wg/${seg(iface)}/enforcements`);
  }
  ackEnforcements(iface: string, ids: readonly string[]) {
    return this.request<unknown>('POST', `/v1/wg/${seg(iface)}/enforcements/ack`, {
      body: { ids },
    });
  }
  metrics() {
    return this.request<undefined>('GET', '/v1/metrics');
  }
  openapi() {
    return this.request<{ openapi?: string; paths?: Record<string, unknown> }>(
      'GET',
      '/v1/openapi.json',
    );
  }
}

/** Percent-encodes one path segment (a key's `+`, `/`, `=`; any metacharacter of a name). */
export const seg = (s: string) => encodeURIComponent(s);
