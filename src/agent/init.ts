import { hostname } from 'node:os';
import { formatJoinString } from '../shared/join-string.js';
import type { HostPort } from '../shared/host-port.js';
import { loadCredentials, saveCredentials } from './credentials/credentials.js';
import { loadInitRecord, saveInitRecord } from './init-record.js';

export interface InitOptions {
  readonly stateDir: string;
  readonly listen: HostPort;
  readonly publicHost?: string | undefined;
  readonly rotate: boolean;
}

export interface InitResult {
  readonly created: boolean;
  readonly joinString: string;
  /**
   * The credential was kept but the address changed since the last init: the panel holds an
   * older join string and must be given this one (Edit node, `updateNode`).
   */
  readonly repin: boolean;
}

const WILDCARD = new Set(['0.0.0.0', '::']);

/**
 * Creates the node credential, or keeps the one there unless `rotate`. The join string names the
 * public host when given, else the listen host, else (wildcard listen) this machine's hostname.
 * The listen address and public host are recorded in the state folder: `wgfleet agent` listens
 * where the join string says.
 */
export async function initAgent(o: InitOptions): Promise<InitResult> {
  const host = o.publicHost ?? (WILDCARD.has(o.listen.host) ? hostname() : o.listen.host);
  let creds = o.rotate ? null : await loadCredentials(o.stateDir);
  const created = creds === null;
  if (!creds) {
    // Loaded only here: the certificate library is not needed to run the agent.
    const { createCredentials } = await import('./credentials/create-credentials.js');
    creds = await createCredentials([host, o.listen.host].filter((h) => !WILDCARD.has(h)));
    await saveCredentials(o.stateDir, creds);
  }
  const listen = formatHostPort(o.listen);
  const before = await loadInitRecord(o.stateDir);
  const publicHost = o.publicHost ?? null;
  await saveInitRecord(o.stateDir, { listen, publicHost });
  return {
    created,
    repin:
      !created && before !== null && (before.listen !== listen || before.publicHost !== publicHost),
    joinString: formatJoinString({
      host,
      port: o.listen.port,
      token: creds.token,
      fingerprint: creds.fingerprint,
    }),
  };
}

const formatHostPort = (hp: HostPort) =>
  `${hp.host.includes(':') ? `[${hp.host}]` : hp.host}:${hp.port}`;
