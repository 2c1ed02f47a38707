import { request, type Dispatcher } from 'undici';
import type {
  Dump,
  Health,
  InterfaceCreate,
  InterfaceSummary,
  PeerPut,
} from '../../../shared/wire/agent-api.js';
import { FingerprintMismatchError, pinnedDispatcher } from './pinned-dispatcher.js';

/** Where an agent is and how to prove who we both are (from its join string). */
export interface AgentEndpoint {
  readonly url: string;
  readonly token: string;
  readonly fingerprint: string;
}

/** The agent could not be reached, or its TLS identity was not the pinned one. */
export class AgentUnavailableError extends Error {
  readonly code = 'AGENT_UNAVAILABLE';
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
  }
}

/** The agent answered with an error status. */
export class AgentRequestError extends Error {
  readonly code = 'AGENT_REQUEST_FAILED';
  constructor(
    readonly status: number,
    readonly agentCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** A typed client of one agent's `/v1` API, over a connection pool pinned to its certificate. */
export class AgentClient {
  private readonly dispatcher: Dispatcher;

  constructor(
    private readonly endpoint: AgentEndpoint,
    timeoutMs = 10_000,
  ) {
    this.dispatcher = pinnedDispatcher(endpoint.fingerprint, timeoutMs);
  }

  health(): Promise<Health> {
    return this.call('GET', '/v1/health');
  }
  async interfaces(): Promise<InterfaceSummary[]> {
    return (await this.call<{ interfaces: InterfaceSummary[] }>('GET', '/v1/wg')).interfaces;
  }
  dump(iface: string): Promise<Dump> {
    return this.call('GET', `/v1/wg/${encodeURIComponent(iface)}/dump`);
  }
  async putPeer(iface: string, publicKey: string, peer: PeerPut): Promise<void> {
    await this.call('PUT', peerPath(iface, publicKey), peer);
  }
  async deletePeer(iface: string, publicKey: string): Promise<void> {
    await this.call('DELETE', peerPath(iface, publicKey));
  }
  createInterface(req: InterfaceCreate): Promise<InterfaceSummary> {
    return this.call('POST', '/v1/wg', req);
  }
  async up(iface: string): Promise<void> {
    await this.call('POST', `/v1/wg/${encodeURIComponent(iface)}/up`);
  }
  async down(iface: string): Promise<void> {
    await this.call('POST', `/v1/wg/${encodeURIComponent(iface)}/down`);
  }
  async deleteInterface(iface: string): Promise<void> {
    await this.call('DELETE', `/v1/wg/${encodeURIComponent(iface)}`);
  }
  async metrics(): Promise<string> {
    return this.call('GET', '/v1/metrics', undefined, 'text');
  }
  close(): Promise<void> {
    return this.dispatcher.close();
  }

  private async call<T>(
    method: Dispatcher.HttpMethod,
    path: string,
    body?: unknown,
    as: 'json' | 'text' = 'json',
  ): Promise<T> {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(new URL(path, this.endpoint.url), {
        method,
        dispatcher: this.dispatcher,
        headers: {
          authorization: `Bearer ${this.endpoint.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (e) {
      const why = e instanceof FingerprintMismatchError ? e.message : (e as Error).message;
      throw new AgentUnavailableError(`agent ${this.endpoint.url} unreachable: ${why}`, e);
    }
    if (res.statusCode >= 400) {
      const text = await res.body.text();
      let parsed: { error?: string; message?: string } = {};
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        /* not JSON: keep the status only */
      }
      throw new AgentRequestError(
        res.statusCode,
        parsed.error ?? 'unknown',
        parsed.message ?? `HTTP ${res.statusCode}`,
      );
    }
    return (as === 'text' ? await res.body.text() : await res.body.json()) as T;
  }
}

const peerPath = (iface: string, key: string) =>
  `/v1/wg/${encodeURIComponent(iface)}/peers/${encodeURIComponent(key)}`;
