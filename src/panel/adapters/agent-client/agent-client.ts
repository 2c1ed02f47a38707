import { request, type Dispatcher } from 'undici';
import type {
  AllowancesPut,
  Dump,
  Enforcement,
  Health,
  InterfaceCreate,
  InterfaceSummary,
  PeerPut,
} from '../../../shared/wire/agent-api.js';
import type { ConfFileJson, InterfacePatch } from '../../../shared/wire/agent-conf.js';
import type { SystemStatus } from '../../../shared/wire/agent-system.js';
import { DUMP_TSV_TYPE } from '../../../shared/wire/dump-tsv.js';
import { AgentAnswerError, AgentAnswers, type AnswerCheck } from './agent-answers.js';
import { FingerprintMismatchError, pinnedDispatcher } from './pinned-dispatcher.js';

export { AgentAnswerError };

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
    return this.call('GET', '/v1/health', AgentAnswers.health);
  }
  async interfaces(): Promise<InterfaceSummary[]> {
    return (await this.call('GET', '/v1/wg', AgentAnswers.interfaceList)).interfaces;
  }
  /**
   * The interface's dump, asked for in the compact form (about half the bytes of the JSON) and
   * checked line by line; an agent that answers JSON (older ones) is checked against the schema.
   */
  async dump(iface: string): Promise<Dump> {
    const path = `${ifacePath(iface)}/dump`;
    const res = await this.send('GET', path, undefined, DUMP_ACCEPT);
    const type = res.headers['content-type'];
    if (typeof type === 'string' && type.startsWith(DUMP_TSV_TYPE))
      return AgentAnswers.dumpTsv(`GET ${path}`, await res.body.text());
    return this.json('GET', path, res, AgentAnswers.dump);
  }
  async putPeer(iface: string, publicKey: string, peer: PeerPut): Promise<void> {
    await this.call('PUT', peerPath(iface, publicKey), AgentAnswers.ok, peer);
  }
  async deletePeer(iface: string, publicKey: string): Promise<void> {
    await this.call('DELETE', peerPath(iface, publicKey), AgentAnswers.ok);
  }
  createInterface(req: InterfaceCreate): Promise<InterfaceSummary> {
    return this.call('POST', '/v1/wg', AgentAnswers.interfaceSummary, req);
  }
  async up(iface: string): Promise<void> {
    await this.call('POST', `${ifacePath(iface)}/up`, AgentAnswers.ok);
  }
  async down(iface: string): Promise<void> {
    await this.call('POST', `${ifacePath(iface)}/down`, AgentAnswers.ok);
  }
  async deleteInterface(iface: string): Promise<void> {
    await this.call('DELETE', ifacePath(iface), AgentAnswers.ok);
  }
  /** Replaces the interface's allowances (what the agent enforces itself while the panel is away). */
  async putAllowances(iface: string, allowances: AllowancesPut): Promise<void> {
    await this.call('PUT', `${ifacePath(iface)}/allowances`, AgentAnswers.ok, allowances);
  }
  /** Peers the agent cut on its own, not yet acknowledged (the dump carries them too). */
  async enforcements(iface: string): Promise<Enforcement[]> {
    const path = `${ifacePath(iface)}/enforcements`;
    return (await this.call('GET', path, AgentAnswers.enforcementList)).enforcements;
  }
  /** The panel recorded these cuts: the agent forgets them (idempotent). */
  async ackEnforcements(iface: string, ids: readonly string[]): Promise<void> {
    await this.call('POST', `${ifacePath(iface)}/enforcements/ack`, AgentAnswers.ok, { ids });
  }
  async metrics(): Promise<string> {
    return this.text('GET', '/v1/metrics');
  }
  close(): Promise<void> {
    return this.dispatcher.close();
  }
  /** The node's load, memory, disks, network counters and uptime (`GET /v1/system`). */
  system(): Promise<SystemStatus> {
    return this.call('GET', '/v1/system', AgentAnswers.system);
  }
  /** The interface's wg-quick file, its private and preshared keys replaced by comments. */
  conf(iface: string): Promise<ConfFileJson> {
    return this.call('GET', `/v1/wg/${encodeURIComponent(iface)}/conf`, AgentAnswers.conf);
  }
  /** Changes the interface's Address, ListenPort, MTU, PostUp, PostDown (restarting it). */
  updateInterface(iface: string, patch: InterfacePatch): Promise<InterfaceSummary> {
    return this.call(
      'PATCH',
      `/v1/wg/${encodeURIComponent(iface)}`,
      AgentAnswers.interfaceSummary,
      patch,
    );
  }

  /** A JSON call whose answer is checked against its schema (AgentAnswerError when it is not). */
  private async call<T>(
    method: Dispatcher.HttpMethod,
    path: string,
    check: AnswerCheck<T>,
    body?: unknown,
  ): Promise<T> {
    return this.json(method, path, await this.send(method, path, body), check);
  }

  private async json<T>(
    method: Dispatcher.HttpMethod,
    path: string,
    res: Dispatcher.ResponseData,
    check: AnswerCheck<T>,
  ): Promise<T> {
    let value: unknown;
    try {
      value = await res.body.json();
    } catch (e) {
      throw new AgentAnswerError(
        `${method} ${path}`,
        '(answer)',
        `is not JSON (${(e as Error).message})`,
      );
    }
    return check(`${method} ${path}`, value);
  }

  private async text(method: Dispatcher.HttpMethod, path: string): Promise<string> {
    return (await this.send(method, path)).body.text();
  }

  private async send(
    method: Dispatcher.HttpMethod,
    path: string,
    body?: unknown,
    accept?: string,
  ): Promise<Dispatcher.ResponseData> {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(new URL(path, this.endpoint.url), {
        method,
        dispatcher: this.dispatcher,
        headers: {
          authorization: `Bearer ${this.endpoint.token}`,
          ...(accept === undefined ? {} : { accept }),
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
      let parsed: { error?: unknown; message?: unknown } = {};
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        /* not JSON: keep the status only */
      }
      throw new AgentRequestError(
        res.statusCode,
        typeof parsed.error === 'string' ? parsed.error : 'unknown',
        typeof parsed.message === 'string' ? parsed.message : `HTTP ${res.statusCode}`,
      );
    }
    return res;
  }
}

/** The compact dump first; JSON from agents that do not know it. */
export const DUMP_ACCEPT = `${DUMP_TSV_TYPE}, application/json;q=0.5`;

const ifacePath = (iface: string) => `/v1/wg/${encodeURIComponent(iface)}`;
const peerPath = (iface: string, key: string) =>
  `/v1/wg/${encodeURIComponent(iface)}/peers/${encodeURIComponent(key)}`;
