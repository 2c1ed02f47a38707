import { readFile } from 'node:fs/promises';
import pino from 'pino';
import { KeyedLock } from './app/keyed-lock.js';
import { NodeLedger } from './app/node-ledger.js';
import type { AgentDeps } from './app/ports.js';
import { ReadLoop } from './app/read-loop.js';
import type { AgentConfig } from './config.js';
import { loadCredentials } from './credentials/credentials.js';
import { buildAgentApp } from './http/app.js';
import { AgentMetrics } from './http/metrics.js';
import { createProcessRunner } from './sys/process-runner.js';
import { Shaper } from './tc/shaper.js';
import { createTcCli } from './tc/tc-cli.js';
import { createConfStore } from './wg/conf-store.js';
import { createLinkInfo } from './wg/link-info.js';
import { readUapiTransfer } from './wg/uapi-transfer.js';
import { listWgInterfaces } from './wg/wg-links.js';
import { createWgCli } from './wg/wg-cli.js';

/** The totals file is saved at least this often (and at shutdown, and after the agent's removals). */
const TOTALS_FLUSH_MS = 5_000;

/** The kernel's boot id: another one than the totals file's means every counter restarted. */
async function readBootId(): Promise<string | null> {
  return readFile('/proc/sys/kernel/random/boot_id', 'utf8')
    .then((t) => t.trim() || null)
    .catch(() => null);
}

/** Composition root of the agent: wires the pieces, listens, and closes on SIGTERM/SIGINT. */
export async function runAgent(config: AgentConfig, version: string): Promise<void> {
  const logger = pino({
    name: 'wgfleet-agent',
    level: config.logLevel,
    redact: ['req.headers.authorization', '*.token', '*.preshared_key', '*.private_key'],
  });
  const creds = await loadCredentials(config.stateDir);
  if (!creds)
    throw new Error(
      `no credential in ${config.stateDir}: run \`wgfleet agent init --state-dir ${config.stateDir}\` first`,
    );

  const runner = createProcessRunner();
  const wg = createWgCli(runner, { wg: config.wgBin, wgQuick: config.wgQuickBin });
  const links = createLinkInfo(runner);
  const ledger = await NodeLedger.load({
    stateDir: config.stateDir,
    // wireguard-go's control socket when there is one (no `wg` spawned each reading).
    ports: { wg, links, uapi: (iface) => readUapiTransfer(iface) },
    bootId: await readBootId(),
    now: Date.now,
    log: logger,
  });
  // Rate limits saved by an earlier run are applied by the first reading below.
  const shaper = await Shaper.load({
    stateDir: config.stateDir,
    tc: createTcCli(runner, { tc: 'tc', ip: 'ip' }),
    now: Date.now,
    log: logger,
  });
  const deps: AgentDeps = {
    wg,
    links,
    confs: createConfStore(config.confDir),
    lock: new KeyedLock(),
    onlyInterfaces: config.interfaces,
    allowHooks: config.allowHooks,
    ledger,
    shaper,
    listInterfaces: () => listWgInterfaces(),
  };
  const loop = new ReadLoop(deps, ledger, {
    intervalMs: config.readIntervalMs,
    flushMs: TOTALS_FLUSH_MS,
    now: Date.now,
    log: logger,
  });
  // A first reading before the API answers: the first dump already carries totals.
  await loop.tick().catch((e: unknown) => logger.warn({ err: e }, 'first counter read failed'));
  loop.start();
  const app = await buildAgentApp({
    deps,
    token: creds.token,
    version,
    metrics: new AgentMetrics(version),
    logger,
    http: config.http,
    ...(config.insecureHttp ? {} : { https: { key: creds.keyPem, cert: creds.certPem } }),
  });

  let stopped: Promise<void> | null = null;
  const stop = async (signal: string) => {
    logger.info({ signal }, 'agent stopping');
    await app.close();
    await loop.stop(); // a last reading, and the totals saved
  };
  const onSignal = (signal: NodeJS.Signals) => {
    stopped = stop(signal).catch((e: unknown) => logger.error({ err: e }, 'unclean stop'));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);

  await app.listen({ host: config.listen.host, port: config.listen.port });
  if (config.initListen)
    logger.warn(
      {
        listen: `${config.listen.host}:${config.listen.port}`,
        init_listen: `${config.initListen.host}:${config.initListen.port}`,
      },
      'the join string names the address `agent init` was given, not this one: run ' +
        '`wgfleet agent init --listen <this address>` and give the panel the new join string (Edit node)',
    );
  logger.info(
    {
      listen: `${config.listen.host}:${config.listen.port}`,
      tls: !config.insecureHttp,
      fingerprint: `sha256:${creds.fingerprint}`,
      conf_dir: config.confDir,
      interfaces: config.interfaces ? [...config.interfaces] : 'all',
      read_interval_ms: config.readIntervalMs,
    },
    'agent listening',
  );
  await new Promise<void>((resolve) => app.server.once('close', resolve));
  await stopped;
}
