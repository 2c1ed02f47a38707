import { parseConf } from './conf-file.js';

const FRIENDLY = /^\s*#\s*friendly_name\s*=\s*(.*?)\s*$/;

/**
 * Peer names written in a wg-quick file as `# friendly_name = NAME` in the peer's section, the
 * convention of MindFlavor's prometheus_wireguard_exporter (`-n`); public key → name.
 */
export function friendlyNames(confText: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const peer of parseConf(confText).peers)
    for (const line of peer.extra) {
      const m = FRIENDLY.exec(line);
      if (m?.[1]) names.set(peer.publicKey, m[1]);
    }
  return names;
}
