import { hostname } from 'node:os';
import { formatJoinString } from '../shared/join-string.js';
import type { HostPort } from '../shared/host-port.js';
import { loadCredentials, saveCredentials } from './credentials/credentials.js';

export interface InitOptions {
  readonly stateDir: string;
  readonly listen: HostPort;
  readonly publicHost?: string | undefined;
  readonly rotate: boolean;
}

export interface InitResult {
  readonly created: boolean;
  readonly joinString: string;
}

const WILDCARD = new Set(['0.0.0.0', '::']);

/**
 * Creates the node credential, or keeps the one there unless `rotate`. The join string names the
 * public host when given, else the listen host, else (wildcard listen) this machine's hostname.
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
  return {
    created,
    joinString: formatJoinString({
      host,
      port: o.listen.port,
      token: creds.token,
      fingerprint: creds.fingerprint,
    }),
  };
}
