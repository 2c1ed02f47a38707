import type { Command } from 'commander';
import { readFileSync } from 'node:fs';

/** Applies a JSON config file under flags and environment: only options still at their default. */
export function applyConfigFile(cmd: Command): void {
  const file = cmd.getOptionValue('config') as string | undefined;
  if (!file) return;
  const values = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  for (const [key, value] of Object.entries(values)) {
    const known = cmd.options.find((o) => o.attributeName() === key);
    if (!known) throw new Error(`${file}: unknown option "${key}"`);
    const source = cmd.getOptionValueSource(key);
    if (source === undefined || source === 'default')
      cmd.setOptionValueWithSource(key, Array.isArray(value) ? value.join(',') : value, 'config');
  }
}
