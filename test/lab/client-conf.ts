import type { ConnectOptions } from './lab-client.js';
import type { ConnectTarget } from './lab-node.js';

/** The `Key = value` lines of a wg-quick file (a downloaded client config), by key. */
export function confValues(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of file.split('\n')) {
    const m = /^(\w+) = (.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) out.set(m[1], m[2]);
  }
  return out;
}

/**
 * What `LabClient.connect` needs to run as a downloaded client config says: the node's key and
 * endpoint, the client's address and preshared key (when the file has one). `subnet` is the
 * node's tunnel subnet, the route the lab client gets.
 */
export function connectionOf(
  file: string,
  subnet: string,
): { target: ConnectTarget; options: ConnectOptions } {
  const conf = confValues(file);
  const psk = conf.get('PresharedKey');
  return {
    target: {
      publicKey: conf.get('PublicKey') ?? '',
      endpoint: conf.get('Endpoint') ?? '',
      subnet,
    },
    options: {
      address: conf.get('Address') ?? '',
      ...(psk === undefined ? {} : { presharedKey: psk }),
    },
  };
}
