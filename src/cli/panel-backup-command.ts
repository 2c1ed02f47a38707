import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import type { PanelConfig } from '../panel/config.js';
import { loadPanelConfig, panelCommand } from './panel-command.js';

interface BackupValues {
  out: string;
  config?: string;
  dataDir?: string;
  database?: string;
  secretKeyFile?: string;
  withoutKey?: boolean;
}

interface RestoreValues {
  from: string;
  dataDir: string;
  key?: string;
  secretKeyFile?: string;
}

/** The config the panel would run with these options (its own loader: file, env, flags). */
async function panelConfig(v: BackupValues): Promise<PanelConfig> {
  const args = [
    ...(v.config ? ['--config', v.config] : []),
    ...(v.dataDir ? ['--data-dir', v.dataDir] : []),
    ...(v.database ? ['--database', v.database] : []),
    ...(v.secretKeyFile ? ['--secret-key-file', v.secretKeyFile] : []),
  ];
  const cmd = panelCommand().exitOverride();
  cmd.action(() => undefined);
  await cmd.parseAsync(args, { from: 'user' });
  return loadPanelConfig(cmd);
}

const dumpTools = (keyFile: string) =>
  'back it up with its own tools: pg_dump --format=custom DB > wgfleet.dump (restore: pg_restore -d DB) ' +
  'or mariadb-dump --single-transaction DB > wgfleet.sql (restore: mariadb DB < wgfleet.sql), ' +
  `and copy the secret key file ${keyFile} with it (without it the stored keys are unusable); see docs/INSTALL.md`;

const keyOption = () =>
  new Option(
    '--secret-key-file <file>',
    "the panel's secret key file (as `wgfleet panel` takes it; default <data-dir>/secret.key)",
  );

/** `wgfleet panel backup` and `wgfleet panel restore`. */
export function panelBackupCommands(): Command[] {
  const backup = new Command('backup')
    .description(
      'copy the SQLite database of a panel, consistent while it runs (online backup), and its secret key beside it',
    )
    .requiredOption(
      '--out <file>',
      'the backup file to write (mode 0600: it holds secrets); the key goes to <file>.key',
    )
    .addOption(new Option('--config <file>', "the panel's config file").env('WGFLEET_PANEL_CONFIG'))
    .option('--data-dir <dir>', 'the panel data folder (as `wgfleet panel` takes it)')
    .option('--database <url>', 'the database URL (as `wgfleet panel` takes it)')
    .addOption(keyOption())
    .option(
      '--without-key',
      'leave the secret key out (keep it elsewhere: a restore then needs it given with --key)',
    )
    .action(async (v: BackupValues) => {
      const config = await panelConfig(v);
      const { parseDatabaseUrl } = await import('../panel/adapters/db/database-url.js');
      const target = parseDatabaseUrl(config.databaseUrl);
      if (target.dialect !== 'sqlite')
        throw new Error(
          `the panel's database is ${target.dialect}: ${dumpTools(config.secretKeyFile)}`,
        );
      const { backupSqlite } = await import('../panel/adapters/db/sqlite-backup.js');
      const { copyKeyBesideBackup, sqliteHoldsSealedSecrets } =
        await import('../panel/adapters/db/secrets/backup-secret-key.js');
      const out = resolve(v.out);
      const pages = await backupSqlite(target.path, out);
      process.stdout.write(`Backed up ${target.path} to ${out} (${pages} pages).\n`);
      if (v.withoutKey) {
        process.stdout.write(
          `The secret key was left out: keep ${config.secretKeyFile} safe; a restore needs it (--key FILE).\n`,
        );
        return;
      }
      const keyCopy = await copyKeyBesideBackup(config.secretKeyFile, out);
      process.stdout.write(
        keyCopy
          ? `Copied the secret key ${config.secretKeyFile} to ${keyCopy} (0600): without it the backup's ` +
              'node tokens and peer keys are unusable, and whoever holds both holds them: ' +
              'store the two apart when the backup leaves this host.\n'
          : sqliteHoldsSealedSecrets(out)
            ? `WARNING: no secret key file at ${config.secretKeyFile}, but the database holds sealed ` +
              'node tokens and peer keys: without its key they are unusable; find the key file ' +
              '(--secret-key-file) and keep it with this backup.\n'
            : `No secret key file at ${config.secretKeyFile}: this database has not been sealed yet ` +
              '(a panel of this release seals it at its next start).\n',
      );
    });
  const restore = new Command('restore')
    .description('put a backup (and its secret key) in place as the database of a new data folder')
    .requiredOption('--from <file>', 'the backup file (from `wgfleet panel backup`)')
    .requiredOption(
      '--data-dir <dir>',
      'the data folder to restore into (as `wgfleet panel` takes it)',
    )
    .option('--key <file>', "the backup's secret key file (default <from>.key when it exists)")
    .addOption(keyOption().default(undefined, '<data-dir>/secret.key'))
    .action(async (v: RestoreValues) => {
      const { restoreSqlite, checkSqliteBackup } =
        await import('../panel/adapters/db/sqlite-backup.js');
      const { planKeyRestore, applyKeyRestore } =
        await import('../panel/adapters/db/secrets/backup-secret-key.js');
      const { secretKeyFileIn } = await import('../panel/config.js');
      const from = resolve(v.from);
      const dataDir = resolve(v.dataDir);
      checkSqliteBackup(from);
      // Decided before anything is written: a restore that cannot open its secrets writes nothing.
      const plan = await planKeyRestore({
        backup: from,
        keyFrom: v.key && resolve(v.key),
        keyTo: v.secretKeyFile ? resolve(v.secretKeyFile) : secretKeyFileIn(dataDir),
      });
      const target = await restoreSqlite(from, dataDir);
      try {
        await applyKeyRestore(plan);
      } catch (e) {
        const { rm } = await import('node:fs/promises');
        await rm(target, { force: true });
        throw e;
      }
      const keyLine = plan.key
        ? `Put the secret key ${plan.source} at ${plan.target}.\n`
        : plan.source
          ? `The secret key at ${plan.target} is the backup's already.\n`
          : '';
      const keyFlag = v.secretKeyFile ? ` --secret-key-file ${plan.target}` : '';
      process.stdout.write(
        `Restored ${from} to ${target}.\n${keyLine}` +
          `Start the panel with --data-dir ${dataDir}${keyFlag}: it migrates the database if the backup is older.\n`,
      );
    });
  return [backup, restore];
}
