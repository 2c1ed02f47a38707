// Request timeouts on both real processes: a panel and an agent started with a 1 s request
// timeout cut a request whose body trickles in (1 byte every 100 ms, far from its announced
// length) and answer 408; the panel closes an idle keep-alive connection after its keep-alive
// timeout. Without these limits the connection stayed open for as long as the client liked.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as tcpConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLI_COMMAND,
  PanelProcess,
  REPO_ROOT,
  agentInit,
  cliEnv,
  freePort,
  healthStatus,
  waitFor,
} from '../lab/index.js';

const LIMITS = ['--request-timeout', '1', '--headers-timeout', '1', '--keep-alive-timeout', '1'];
const ANNOUNCED = 2000; // bytes the request says its body has; at 10 per second, 200 s

/**
 * Sends the head of a request announcing ANNOUNCED body bytes, then one body byte every 100 ms
 * until the server closes the connection (or 20 s pass). Resolves what the server answered and
 * how many body bytes went out.
 */
async function trickle(socket: Socket, head: string): Promise<{ answer: string; sent: number }> {
  let answer = '';
  let closed = false;
  socket.on('data', (b: Buffer) => (answer += b.toString()));
  socket.on('error', () => undefined);
  const gone = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  socket.write(`${head}content-length: ${ANNOUNCED}\r\ncontent-type: application/json\r\n\r\n`);
  let sent = 0;
  for (let i = 0; i < 200 && !closed; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if (!closed && socket.writable) {
      socket.write('{');
      sent++;
    }
  }
  await Promise.race([gone, new Promise((r) => setTimeout(r, 1000))]);
  socket.destroy();
  return { answer, sent };
}

describe('slow requests are cut', () => {
  let panel: PanelProcess;
  let dir = '';
  let agent: ReturnType<typeof spawn> | undefined;
  let agentPort = 0;
  let token = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-slow-'));
    panel = await PanelProcess.start({
      args: ['--data-dir', join(dir, 'panel'), '--log-level', 'warn', ...LIMITS],
    });
    agentPort = await freePort();
    const listen = `127.0.0.1:${agentPort}`;
    const stateDir = join(dir, 'agent');
    token = (await agentInit(null, { stateDir, listen })).token;
    const [node = process.execPath, ...rest] = CLI_COMMAND;
    const args = ['agent', '--state-dir', stateDir, '--listen', listen, '--conf-dir', dir];
    agent = spawn(node, [...rest, ...args, '--log-level', 'warn', ...LIMITS], {
      cwd: REPO_ROOT,
      env: cliEnv(),
      stdio: 'ignore',
    });
    await waitFor(
      'the agent',
      async () => ((await healthStatus(listen).catch(() => 0)) === 200 ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  });
  afterAll(async () => {
    await panel?.stop();
    if (agent && agent.exitCode === null) {
      agent.kill('SIGTERM');
      await new Promise((r) => agent!.once('exit', r));
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the panel answers 408 and closes a request whose body trickles in', async () => {
    const port = Number(new URL(panel.base).port);
    const socket = tcpConnect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const { answer, sent } = await trickle(
      socket,
      'POST /api/authenticate HTTP/1.1\r\nhost: 127.0.0.1\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(sent).toBeLessThan(ANNOUNCED);
  });

  it('the agent answers 408 and closes a request whose body trickles in', async () => {
    const socket = tlsConnect({ host: '127.0.0.1', port: agentPort, rejectUnauthorized: false });
    await new Promise((r) => socket.once('secureConnect', r));
    const { answer, sent } = await trickle(
      socket,
      `PUT /v1/wg/wg0/peers/x HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${token}\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(sent).toBeLessThan(ANNOUNCED);
  });

  it('the panel closes an idle keep-alive connection', async () => {
    const port = Number(new URL(panel.base).port);
    const socket = tcpConnect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (b: Buffer) => (answer += b.toString()));
    const closed = new Promise<boolean>((resolve) => {
      socket.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 20_000);
    });
    socket.write('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: keep-alive\r\n\r\n');
    expect(await closed).toBe(true);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    socket.destroy();
  });
});
