import { createServer as createHttp, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCredentials } from '../../src/agent/credentials/create-credentials.js';

/** One request a receiver got, with its raw body. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A webhook receiver on 127.0.0.1: records every request, answers what `status(n)` says. */
export interface WebhookReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a receiver on loopback (HTTP, or HTTPS with a fresh self-signed certificate).
 * `status(n)` gives the HTTP status of the n-th request (1-based); default 200.
 */
export async function startWebhookReceiver(
  options: { https?: boolean; status?: (n: number, req: ReceivedRequest) => number } = {},
): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(r);
      const status = options.status?.(requests.length, r) ?? 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ received: requests.length }));
    });
  };
  const server = options.https
    ? createHttps(
        await createCredentials(['127.0.0.1']).then((c) => ({ key: c.keyPem, cert: c.certPem })),
        handler,
      )
    : createHttp(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.https ? 'https' : 'http'}://127.0.0.1:${port}/hook`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
