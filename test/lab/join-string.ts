import {
  parseJoinString as parseShared,
  type JoinInfo as SharedJoinInfo,
} from '../../src/shared/join-string.js';

/** A parsed agent join string, with what tests need besides: the raw text and the base URL. */
export interface JoinInfo extends SharedJoinInfo {
  /** The string as the agent printed it. */
  readonly raw: string;
  /** `https://HOST:PORT`. */
  readonly baseUrl: string;
}

/** Parses a join string (the product's parser); throws on anything else. */
export function parseJoinString(raw: string): JoinInfo {
  const info = parseShared(raw);
  const host = info.host.includes(':') ? `[${info.host}]` : info.host;
  return { ...info, raw: raw.trim(), baseUrl: `https://${host}:${info.port}` };
}

/** Node's `fingerprint256` (`AB:CD:…`) in the join string's form (`abcd…`). */
export const normalizeFingerprint = (f: string) => f.replace(/:/g, '').toLowerCase();
