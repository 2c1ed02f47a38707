/**
 * The agent benchmark's second floor: a minimal HTTPS server that answers every request by piping
 * `wg show IF dump` to the response — no auth, no parsing, no JSON; what any HTTPS dump endpoint
 * must at least pay. Run as its own process (like the agent), inside the namespace:
 *
 *   node [--import tsx] wg-pipe-server.ts   (settings as JSON on stdin: port, iface, key, cert)
 *
 * Prints `listening` once it accepts connections; stops on SIGTERM.
 */
import { spawn } from 'node:child_process';
import https from 'node:https';

interface PipeServerConfig {
  readonly port: number;
  readonly iface: string;
  readonly keyPem: string;
  readonly certPem: string;
}

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const c = JSON.parse(Buffer.concat(chunks).toString('utf8')) as PipeServerConfig;
const server = https.createServer({ key: c.keyPem, cert: c.certPem }, (req, res) => {
  const wg = spawn('wg', ['show', c.iface, 'dump'], { stdio: ['ignore', 'pipe', 'ignore'] });
  res.writeHead(200, { 'content-type': 'text/plain' });
  wg.stdout.pipe(res);
  wg.on('error', () => res.destroy());
  req.on('close', () => wg.kill());
});
server.keepAliveTimeout = 60_000;
server.listen(c.port, '127.0.0.1', () => process.stdout.write('listening\n'));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
