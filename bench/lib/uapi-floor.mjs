// The floor of bench:ledger: a bare node process that reads the interface's UAPI socket (get=1)
// every interval and throws the answer away. What any reader of the counters in node must pay:
// node itself, the socket, wireguard-go's answer, with no parsing and no ledger. Plain JavaScript
// (no loader), run as `node uapi-floor.mjs SOCKET INTERVAL_MS`.
import { connect } from 'node:net';
import process from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';

const [socketPath, intervalArg] = process.argv.slice(2);
const intervalMs = Number(intervalArg);
if (!socketPath || !(intervalMs > 0)) throw new Error('usage: uapi-floor.mjs SOCKET INTERVAL_MS');

function readOnce() {
  return new Promise((resolve, reject) => {
    const s = connect(socketPath);
    let tail = '';
    s.on('connect', () => s.write('get=1\n\n'));
    s.on('data', (b) => {
      tail = (tail + b.toString('latin1', Math.max(0, b.length - 16))).slice(-16);
      if (/errno=\d+\n\n$/.test(tail)) {
        s.destroy();
        resolve();
      }
    });
    s.on('error', reject);
    s.on('end', resolve);
  });
}

for (;;) {
  const started = Date.now();
  await readOnce();
  await delay(Math.max(0, intervalMs - (Date.now() - started)));
}
