/* global process, console, setTimeout, clearTimeout, setInterval, clearInterval */
// Traffic for the lab, run inside a namespace (`ip netns exec NS node udp-tool.mjs …`).
// Plain JavaScript so it starts fast without tsx. Every mode is bounded in time.
//
//   echo  PORT MAX_MS                    echo datagrams back; prints "ready"; exits after MAX_MS
//   probe HOST PORT TIMEOUT_MS           one echo round-trip; exit 0 on success, 1 on timeout
//   send  HOST PORT TOTAL SIZE BATCH PAUSE_MS
//                                        send TOTAL bytes in SIZE-byte datagrams, BATCH at a time
//                                        with PAUSE_MS between batches; prints {"bytes","datagrams"}
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';

const [mode, ...args] = process.argv.slice(2);
const int = (s, name) => {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`bad ${name}: ${s}`);
  return n;
};

function echo(port, maxMs) {
  const sock = dgram.createSocket('udp4');
  sock.on('message', (msg, rinfo) => sock.send(msg, rinfo.port, rinfo.address));
  sock.bind(port, '0.0.0.0', () => console.log('ready'));
  const stop = () => sock.close(() => process.exit(0));
  setTimeout(stop, maxMs).unref();
  process.on('SIGTERM', stop);
}

function probe(host, port, timeoutMs) {
  const sock = dgram.createSocket('udp4');
  const nonce = randomBytes(16);
  const done = (code) => {
    clearInterval(timer);
    clearTimeout(deadline);
    sock.close(() => process.exit(code));
  };
  sock.on('message', (msg) => msg.equals(nonce) && done(0));
  sock.on('error', () => undefined); // ICMP unreachable etc.: keep trying until the deadline
  const fire = () => sock.send(nonce, port, host, () => undefined);
  const timer = setInterval(fire, 200);
  const deadline = setTimeout(() => done(1), timeoutMs);
  fire();
}

async function send(host, port, total, size, batch, pauseMs) {
  setTimeout(() => process.exit(3), 120_000).unref(); // watchdog
  const sock = dgram.createSocket('udp4');
  sock.on('error', () => undefined);
  const payload = randomBytes(size);
  let bytes = 0;
  let datagrams = 0;
  const sendOne = (buf) =>
    new Promise((resolve, reject) =>
      sock.send(buf, port, host, (err) => (err ? reject(err) : resolve())),
    );
  const maxDatagrams = Math.ceil(total / size);
  while (bytes < total && datagrams < maxDatagrams) {
    const inBatch = [];
    for (let i = 0; i < batch && bytes < total; i++) {
      const n = Math.min(size, total - bytes);
      inBatch.push(sendOne(n === size ? payload : payload.subarray(0, n)));
      bytes += n;
      datagrams += 1;
    }
    await Promise.all(inBatch);
    if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
  }
  console.log(JSON.stringify({ bytes, datagrams }));
  sock.close();
}

if (mode === 'echo') echo(int(args[0], 'port'), int(args[1], 'max ms'));
else if (mode === 'probe') probe(args[0], int(args[1], 'port'), int(args[2], 'timeout'));
else if (mode === 'send')
  await send(
    args[0],
    int(args[1], 'port'),
    int(args[2], 'total'),
    int(args[3], 'size'),
    Math.max(1, int(args[4], 'batch')),
    int(args[5], 'pause'),
  );
else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
