import { Command, CommanderError } from 'commander';
import { agentCommand } from './agent-command.js';
import { installCommand, uninstallCommand } from './install/install-command.js';
import { panelBackupCommands } from './panel-backup-command.js';
import { panelCommand } from './panel-command.js';
import { VERSION } from './version.js';

/** Runs the `wgfleet` command line; resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('wgfleet')
    .description('wgfleet: a control plane for WireGuard fleets (panel + node agents)')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError()
    .enablePositionalOptions();
  program.addCommand(agentCommand());
  const panel = panelCommand();
  for (const sub of panelBackupCommands()) panel.addCommand(sub);
  program.addCommand(panel);
  program.addCommand(installCommand());
  program.addCommand(uninstallCommand());
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    process.stderr.write(`wgfleet: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
