import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { Agent, buildConnector } from 'undici';

/** The agent presented a certificate other than the one its join string pinned. */
export class FingerprintMismatchError extends Error {
  readonly code = 'FINGERPRINT_MISMATCH';
  constructor(
    readonly expected: string,
    readonly got: string | null,
  ) {
    super(
      `agent certificate fingerprint sha256:${got ?? 'none'} is not the pinned sha256:${expected}`,
    );
  }
}

/**
 * An undici dispatcher that trusts exactly one certificate: the one whose DER has the SHA-256
 * `fingerprint` (lowercase hex). The agent's certificate is self-signed, so the CA check is off
 * and the pin replaces it; TLS session resumption is off so every connection shows its certificate.
 */
export function pinnedDispatcher(fingerprint: string, timeoutMs = 10_000): Agent {
  const connect = buildConnector({
    rejectUnauthorized: false,
    maxCachedSessions: 0,
    timeout: timeoutMs,
  });
  return new Agent({
    keepAliveTimeout: 30_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs * 3,
    connect(options, callback) {
      connect(options, (err, socket) => {
        if (err || !socket) return callback(err ?? new Error('connect failed'), null);
        if (options.protocol !== 'https:') return callback(null, socket);
        const cert = (socket as TLSSocket).getPeerX509Certificate?.();
        const got = cert ? createHash('sha256').update(cert.raw).digest('hex') : null;
        if (got !== fingerprint) {
          socket.destroy();
          return callback(new FingerprintMismatchError(fingerprint, got), null);
        }
        callback(null, socket);
      });
    },
  });
}
