import https from 'node:https';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';

/** `AB:CD:…` (as Node prints `fingerprint256`) to lowercase hex without colons. */
const normalize = (fp: string) => fp.replace(/:/g, '').toLowerCase();

/**
 * An HTTPS agent (keep-alive by default) that trusts exactly one certificate, the one whose SHA-256 fingerprint
 * the join string names. The agent's certificate is self-signed, so chain validation is off; the
 * pin is checked on every new connection after the handshake and before the socket is handed to
 * a request, so the bearer token never goes to a server that does not hold the pinned key.
 */
export class PinnedAgent extends https.Agent {
  /** `keepAlive: false`: a new TLS connection (full handshake) for every request. */
  constructor(
    private readonly fingerprint: string,
    { keepAlive = true }: { keepAlive?: boolean } = {},
  ) {
    // Without keep-alive, no TLS session cache either: each request pays a full handshake.
    super({
      keepAlive,
      maxSockets: 1,
      rejectUnauthorized: false,
      ...(!keepAlive && { maxCachedSessions: 0 }),
    });
  }

  override createConnection(
    options: https.RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const socket = super.createConnection(options) as TLSSocket;
    const fail = (e: Error) => {
      socket.destroy();
      callback?.(e, socket);
    };
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      socket.off('error', fail);
      const got = normalize(socket.getPeerCertificate().fingerprint256 ?? '');
      if (got !== normalize(this.fingerprint))
        fail(new Error(`agent certificate sha256:${got} does not match the join string`));
      else callback?.(null, socket);
    });
    return undefined; // handed over through the callback once pinned
  }
}
