// The floor of bench:ledger: a bare node process that reads the interface's UAPI socket (get=1)
// every interval and throws the answer away. What any reader of the counters in node must pay:
// node itself, the socket, wireguard-go's answer, with no parsing and no ledger. Plain JavaScript
// (no loader), run as `node uapi-floor.mjs SOCKET INTERVAL_MS`.
import { Buffer } from 'node:buffer';
import { connect } from 'node:net';
import process from 'node:process';
import { setTimeout as delay } from 'node:timers/promises';

const [socketPath, intervalArg] = process.argv.slice(2);
const intervalMs = Number(intervalArg);
if (!socketPath || !(intervalMs > 0)) throw new Error('usage: uapi-floor.mjs SOCKET INTERVAL_MS');

// One buffer for every read (no chunk allocated per read), as the agent does: the cheapest way
// node has to receive the answer.
const buffer = Buffer.alloc(64 * 1024);
const END = Buffer.from('\n\n');

function readOnce() {
  return new Promise((resolve, reject) => {
    let done = false;
    const s = connect({
      path: socketPath,
      onread: {
        buffer,
        callback: (n, buf) => {
          // The answer ends with "errno=N" and an empty line.
          if (n >= 2 && buf[n - 2] === END[0] && buf[n - 1] === END[1]) {
            done = true;
            s.destroy();
            resolve();
          }
          return !done;
        },
      },
    });
    s.on('connect', () => s.write('get=1\n\n'));
    s.on('error', reject);
    s.on('end', resolve);
  });
}

for (;;) {
  const started = Date.now();
  await readOnce();
  await delay(Math.max(0, intervalMs - (Date.now() - started)));
}
