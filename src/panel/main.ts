import { mkdir, readFile } from 'node:fs/promises';
import type { Server } from 'node:https';
import pino from 'pino';
import { Registry } from 'prom-client';
import { dirname } from 'node:path';
import { connectDatabase, parseDatabaseUrl } from './adapters/db/index.js';
import { assertNotWritableByOthers, sqliteFiles } from './adapters/db/private-files.js';
import { createUserStore } from './adapters/db/repos/auth-store.js';
import { createAgentClients } from './adapters/agent-client/agent-clients.js';
import { bootstrapAdmin } from './app/auth/bootstrap-admin.js';
import { registerProcessMetrics } from '../shared/process-metrics.js';
import { composePanel } from './compose.js';
import type { PanelConfig } from './config.js';

/** Secrets the panel's logs must never show, wherever they appear in a logged object. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["wg-dashboard-apikey"]',
  '*.token',
  '*.password',
  '*.private_key',
  '*.preshared_key',
];

/** Composition root of the panel: database, areas, HTTP; closes everything on SIGTERM/SIGINT. */
export async function runPanel(config: PanelConfig, version: string): Promise<void> {
  const logger = pino({ name: 'wgfleet-panel', level: config.logLevel, redact: LOG_REDACT });
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  // Refuse a data folder others can write (they could swap the database or plant its journals).
  const target = parseDatabaseUrl(config.databaseUrl);
  assertNotWritableByOthers([
    config.dataDir,
    ...(target.dialect === 'sqlite' && target.path !== ':memory:'
      ? [dirname(target.path), ...sqliteFiles(target.path)]
      : []),
  ]);
  // Migrates, then checks the secret key against the database and seals what is still in clear.
  const database = await connectDatabase(config.databaseUrl, {
    secretKeyFile: config.secretKeyFile,
  });
  logger.info({ database: database.displayUrl }, 'database ready');
  const secretKey = database.secretKey;
  if (secretKey)
    logger.info(
      {
        secretKeyFile: secretKey.keyFile,
        created: secretKey.created,
        sealed: secretKey.sealed,
      },
      secretKey.created ? 'secret key created: back it up with the database' : 'secret key ready',
    );

  const admin = await bootstrapAdmin(createUserStore(database), {
    username: config.adminUser,
    password: config.adminPassword,
  });
  if (admin.generatedPassword) {
    // Shown once, on the terminal only: never through the logger.
    process.stderr.write(
      `\nwgfleet: created the administrator "${admin.username}" with the password:\n\n    ${admin.generatedPassword}\n\n` +
        'Keep it now: it is not shown again (set WGFLEET_ADMIN_USER / WGFLEET_ADMIN_PASSWORD to choose).\n\n',
    );
  } else if (admin.created) logger.info({ username: admin.username }, 'administrator created');

  const agents = createAgentClients();
  const metrics = new Registry();
  registerProcessMetrics(metrics, 'wgfleet_panel_', version);
  const readTls = async (tls: NonNullable<PanelConfig['tls']>) => ({
    key: await readFile(tls.keyFile, 'utf8'),
    cert: await readFile(tls.certFile, 'utf8'),
  });
  const panel = await composePanel(
    { config, database, logger, now: () => new Date(), agents, metrics },
    version,
    config.tls ? await readTls(config.tls) : undefined,
  );
  const tls = config.tls;
  if (tls)
    // A renewed certificate (certbot, an internal CA) without a restart: `systemctl reload`.
    process.on('SIGHUP', () => {
      readTls(tls).then(
        (pair) => {
          (panel.app.server as Server).setSecureContext(pair);
          logger.info({ cert: tls.certFile }, 'TLS certificate reloaded');
        },
        (err: unknown) =>
          logger.error({ err }, 'TLS certificate reload failed; keeping the old one'),
      );
    });
  const stop = async (signal: string) => {
    logger.info({ signal }, 'panel stopping');
    await panel.stop();
    await panel.app.close();
    await agents.closeAll();
    await database.close();
  };
  const onSignal = (signal: NodeJS.Signals) => void stop(signal);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);

  await panel.app.listen({ host: config.listen.host, port: config.listen.port });
  panel.start();
  logger.info(
    { listen: `${config.listen.host}:${config.listen.port}`, tls: config.tls !== null },
    'panel listening',
  );
  await new Promise<void>((resolve) => panel.app.server.once('close', resolve));
}
