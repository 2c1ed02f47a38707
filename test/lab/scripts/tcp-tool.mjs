/* global process, console, setTimeout, clearTimeout */
// Bounded TCP traffic for the lab's rate tests, run inside a namespace
// (`ip netns exec NS node tcp-tool.mjs …`). Plain JavaScript so it starts fast without tsx.
//
//   sink HOST PORT MAX_MS WARMUP_MS   accept ONE connection on HOST:PORT, read it to its end; prints
//                                     "ready", then {"bytes","ms","rate_bps"}: the rate measured
//                                     after the first WARMUP_MS of data (slow start, the shaper's
//                                     burst), up to the last byte. Exits after MAX_MS in any case.
//   send HOST PORT MAX_BYTES MAX_MS   write to HOST:PORT until MAX_BYTES were written or MAX_MS
//                                     passed, whichever first; prints {"bytes","ms"}
import net from 'node:net';
import { randomBytes } from 'node:crypto';

const [mode, ...args] = process.argv.slice(2);
const int = (s, name) => {
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`bad ${name}: ${s}`);
  return n;
};
const now = () => Number(process.hrtime.bigint() / 1000n) / 1000; // ms, monotonic

function sink(host, port, maxMs, warmupMs) {
  const watchdog = setTimeout(() => process.exit(3), maxMs);
  const server = net.createServer((sock) => {
    server.close();
    let bytes = 0;
    let first = null;
    let mark = null; // [time, bytes] at the end of the warm-up
    let last = null;
    sock.on('data', (b) => {
      const t = now();
      first ??= t;
      bytes += b.length;
      last = t;
      if (mark === null && t - first >= warmupMs) mark = [t, bytes];
    });
    sock.on('error', () => undefined);
    sock.on('close', () => {
      clearTimeout(watchdog);
      const ms = first === null ? 0 : last - first;
      const rate =
        mark === null || last <= mark[0] ? null : ((bytes - mark[1]) * 8 * 1000) / (last - mark[0]);
      console.log(
        JSON.stringify({
          bytes,
          ms: Math.round(ms),
          rate_bps: rate === null ? null : Math.round(rate),
        }),
      );
      process.exit(0);
    });
  });
  server.listen(port, host, () => console.log('ready'));
}

function send(host, port, maxBytes, maxMs) {
  setTimeout(() => process.exit(3), maxMs + 30_000).unref(); // watchdog (draining included)
  const chunk = randomBytes(64 * 1024);
  const started = now();
  let bytes = 0;
  let sock = null;
  const finish = () =>
    sock.end(() => {
      console.log(JSON.stringify({ bytes, ms: Math.round(now() - started) }));
      process.exit(0);
    });
  const pump = () => {
    while (bytes < maxBytes && now() - started < maxMs) {
      const n = Math.min(chunk.length, maxBytes - bytes);
      bytes += n;
      if (!sock.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return waitDrain();
    }
    finish();
  };
  // Waits for the drain, re-checking the time bound even when the peer reads nothing.
  const waitDrain = () => {
    const onDrain = () => {
      clearTimeout(t);
      pump();
    };
    const t = setTimeout(() => {
      sock.off('drain', onDrain);
      if (now() - started >= maxMs) finish();
      else waitDrain();
    }, 100);
    sock.once('drain', onDrain);
  };
  const connecting = setTimeout(() => {
    console.error('could not connect within 10 s');
    process.exit(4);
  }, 10_000);
  sock = net.connect(port, host, () => {
    clearTimeout(connecting);
    pump();
  });
  sock.on('error', (e) => {
    console.error(e.message);
    process.exit(1);
  });
}

if (mode === 'sink')
  sink(args[0], int(args[1], 'port'), int(args[2], 'max ms'), int(args[3], 'warmup'));
else if (mode === 'send')
  send(args[0], int(args[1], 'port'), int(args[2], 'max bytes'), int(args[3], 'max ms'));
else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
