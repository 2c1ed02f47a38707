import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { loadPanelConfig, panelCommand } from './panel-command.js';

interface BackupValues {
  out: string;
  config?: string;
  dataDir?: string;
  database?: string;
}

/** The database URL the panel would open with these options (its own loader: file, env, flags). */
async function panelDatabase(v: BackupValues): Promise<string> {
  const args = [
    ...(v.config ? ['--config', v.config] : []),
    ...(v.dataDir ? ['--data-dir', v.dataDir] : []),
    ...(v.database ? ['--database', v.database] : []),
  ];
  const cmd = panelCommand().exitOverride();
  cmd.action(() => undefined);
  await cmd.parseAsync(args, { from: 'user' });
  return (await loadPanelConfig(cmd)).databaseUrl;
}

const DUMP_TOOLS =
  'back it up with its own tools: pg_dump --format=custom DB > wgfleet.dump (restore: pg_restore -d DB) ' +
  'or mariadb-dump --single-transaction DB > wgfleet.sql (restore: mariadb DB < wgfleet.sql); see docs/INSTALL.md';

/** `wgfleet panel backup` and `wgfleet panel restore`. */
export function panelBackupCommands(): Command[] {
  const backup = new Command('backup')
    .description('copy the SQLite database of a panel, consistent while it runs (online backup)')
    .requiredOption('--out <file>', 'the backup file to write (mode 0600: it holds secrets)')
    .addOption(new Option('--config <file>', "the panel's config file").env('WGFLEET_PANEL_CONFIG'))
    .option('--data-dir <dir>', 'the panel data folder (as `wgfleet panel` takes it)')
    .option('--database <url>', 'the database URL (as `wgfleet panel` takes it)')
    .action(async (v: BackupValues) => {
      const url = await panelDatabase(v);
      const { parseDatabaseUrl } = await import('../panel/adapters/db/database-url.js');
      const target = parseDatabaseUrl(url);
      if (target.dialect !== 'sqlite')
        throw new Error(`the panel's database is ${target.dialect}: ${DUMP_TOOLS}`);
      const { backupSqlite } = await import('../panel/adapters/db/sqlite-backup.js');
      const pages = await backupSqlite(target.path, resolve(v.out));
      process.stdout.write(`Backed up ${target.path} to ${resolve(v.out)} (${pages} pages).\n`);
    });
  const restore = new Command('restore')
    .description('put a backup in place as the database of a new data folder')
    .requiredOption('--from <file>', 'the backup file (from `wgfleet panel backup`)')
    .requiredOption(
      '--data-dir <dir>',
      'the data folder to restore into (as `wgfleet panel` takes it)',
    )
    .action(async (v: { from: string; dataDir: string }) => {
      const { restoreSqlite } = await import('../panel/adapters/db/sqlite-backup.js');
      const target = await restoreSqlite(resolve(v.from), resolve(v.dataDir));
      process.stdout.write(
        `Restored ${resolve(v.from)} to ${target}.\n` +
          `Start the panel with --data-dir ${resolve(v.dataDir)}: it migrates the database if the backup is older.\n`,
      );
    });
  return [backup, restore];
}
