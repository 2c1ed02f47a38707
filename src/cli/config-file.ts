import type { Command, Option } from 'commander';
import { readFile } from 'node:fs/promises';
import type * as Yaml from 'yaml';

/**
 * Applies a config file under flags and environment: only options still at their default.
 * The file is YAML (so JSON too: YAML 1.2 reads every JSON document), a mapping whose keys are the
 * options in camelCase (`--poll-interval` → `pollInterval`). Throws an Error naming the file and
 * the key at fault; nothing is applied from a file with any bad key.
 */
export async function applyConfigFile(cmd: Command): Promise<void> {
  const file = cmd.getOptionValue('config') as string | undefined;
  if (!file) return;
  const values = await readConfigFile(file);
  const settled: [string, string | boolean][] = [];
  for (const [key, value] of Object.entries(values)) {
    const option = cmd.options.find((o) => o.attributeName() === key);
    if (!option || key === 'config') throw new Error(`${file}: unknown option "${key}"`);
    settled.push([key, optionValue(file, key, option, value)]);
  }
  for (const [key, value] of settled) {
    const source = cmd.getOptionValueSource(key);
    if (source === undefined || source === 'default')
      cmd.setOptionValueWithSource(key, value, 'config');
  }
}

/** Reads and parses `file`; the top level must be a mapping (an empty file is none). */
async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read the config file (${(e as NodeJS.ErrnoException).code})`);
  }
  // Loaded on use: a process started without a config file does not pay for the parser. yaml is
  // CommonJS: the bundle's dynamic import gives its exports as `default` only, tsx's as names.
  const yaml = (await import('yaml')) as typeof Yaml & { default?: typeof Yaml };
  const { parse } = yaml.default ?? yaml;
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: true, prettyErrors: true });
  } catch (e) {
    throw new Error(`${file}: not valid YAML or JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new Error(`${file}: must be a mapping of option names to values`);
  return doc as Record<string, unknown>;
}

/** A file value as the option takes it: true/false for switches, text (lists comma-joined). */
function optionValue(file: string, key: string, option: Option, value: unknown): string | boolean {
  if (option.isBoolean()) {
    if (typeof value !== 'boolean') throw new Error(`${file}: "${key}" must be true or false`);
    return value;
  }
  // An option with an optional value (`--trust-proxy [addresses]`) also takes true/false.
  if (option.optional && typeof value === 'boolean') return value;
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number';
  if (scalar(value)) return String(value);
  if (Array.isArray(value) && value.every(scalar)) return value.join(',');
  throw new Error(`${file}: "${key}" must be a text, a number or a list of them`);
}
