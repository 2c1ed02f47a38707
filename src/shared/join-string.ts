import { isIP } from 'node:net';

/** What a join string carries: where the agent is, its token, and its certificate's fingerprint. */
export interface JoinInfo {
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** Lowercase hex SHA-256 of the agent certificate's DER. */
  readonly fingerprint: string;
}

/** `wgfleet://HOST:PORT?token=TOKEN&fingerprint=sha256:HEX`. */
export function formatJoinString(j: JoinInfo): string {
  const host = isIP(j.host) === 6 ? `[${j.host}]` : j.host;
  return `wgfleet://${host}:${j.port}?token=${encodeURIComponent(j.token)}&fingerprint=sha256:${j.fingerprint}`;
}

/** Parses a join string; throws an Error naming what is wrong (never echoing the token). */
export function parseJoinString(text: string): JoinInfo {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error('join string is not a wgfleet:// URL');
  }
  if (url.protocol !== 'wgfleet:') throw new Error('join string must start with wgfleet://');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error('join string needs HOST:PORT');
  const token = url.searchParams.get('token') ?? '';
  if (token.length < 43) throw new Error('join string token is missing or too short');
  const fp = /^sha256:([0-9a-f]{64})$/i.exec(url.searchParams.get('fingerprint') ?? '');
  if (!fp?.[1]) throw new Error('join string fingerprint must be sha256: and 64 hex digits');
  return { host, port, token, fingerprint: fp[1].toLowerCase() };
}
