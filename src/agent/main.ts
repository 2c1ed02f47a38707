import pino from 'pino';
import { KeyedLock } from './app/keyed-lock.js';
import type { AgentDeps } from './app/ports.js';
import type { AgentConfig } from './config.js';
import { loadCredentials } from './credentials/credentials.js';
import { buildAgentApp } from './http/app.js';
import { AgentMetrics } from './http/metrics.js';
import { createProcessRunner } from './sys/process-runner.js';
import { createConfStore } from './wg/conf-store.js';
import { createLinkInfo } from './wg/link-info.js';
import { createWgCli } from './wg/wg-cli.js';

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
  const deps: AgentDeps = {
    wg: createWgCli(runner, { wg: config.wgBin, wgQuick: config.wgQuickBin }),
    links: createLinkInfo(runner),
    confs: createConfStore(config.confDir),
    lock: new KeyedLock(),
    onlyInterfaces: config.interfaces,
    allowHooks: config.allowHooks,
  };
  const app = await buildAgentApp({
    deps,
    token: creds.token,
    version,
    metrics: new AgentMetrics(version),
    logger,
    ...(config.insecureHttp ? {} : { https: { key: creds.keyPem, cert: creds.certPem } }),
  });

  const stop = async (signal: string) => {
    logger.info({ signal }, 'agent stopping');
    await app.close();
  };
  const onSignal = (signal: NodeJS.Signals) => void stop(signal);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);

  await app.listen({ host: config.listen.host, port: config.listen.port });
  logger.info(
    {
      listen: `${config.listen.host}:${config.listen.port}`,
      tls: !config.insecureHttp,
      fingerprint: `sha256:${creds.fingerprint}`,
      conf_dir: config.confDir,
      interfaces: config.interfaces ? [...config.interfaces] : 'all',
    },
    'agent listening',
  );
  await new Promise<void>((resolve) => app.server.once('close', resolve));
}
