import type { Command, Option } from 'commander';

const WIDTH = 96;

/** `# `-prefixed lines of `text`, wrapped at WIDTH. */
function comment(text: string): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length + 1 + word.length > WIDTH && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

/** A YAML scalar: numbers and booleans bare, text double-quoted (JSON strings are YAML). */
function scalar(value: unknown): string {
  if (typeof value === 'boolean') return String(value);
  const text = String(value);
  return /^\d+(\.\d+)?$/.test(text) ? text : JSON.stringify(text);
}

function entry(o: Option, set: Readonly<Record<string, string | boolean>>): string[] {
  const key = o.attributeName();
  const where = [o.long, o.envVar].filter(Boolean).join(', environment ');
  const lines = comment(`${o.description} (flag ${where}).`);
  if (key in set) return [...lines, `${key}: ${scalar(set[key])}`];
  const example = o.isBoolean() ? false : o.defaultValue;
  return [...lines, example === undefined ? `# ${key}:` : `# ${key}: ${scalar(example)}`];
}

/**
 * A commented YAML config file for `cmd` (`wgfleet panel` or `wgfleet agent`), as `--config`
 * reads it: every option with its description, flag and environment variable; those in `set`
 * given, the others commented out at their default. Built from the command's own options, so a new
 * option appears here without anyone remembering to add it.
 */
export function configTemplate(
  cmd: Command,
  header: readonly string[],
  set: Readonly<Record<string, string | boolean>> = {},
): string {
  const options = cmd.options.filter((o) => o.attributeName() !== 'config' && !o.hidden);
  const unknown = Object.keys(set).filter((k) => !options.some((o) => o.attributeName() === k));
  if (unknown.length)
    throw new Error(`not options of wgfleet ${cmd.name()}: ${unknown.join(', ')}`);
  const body = options.flatMap((o) => ['', ...entry(o, set)]);
  return [...header.flatMap(comment), ...body, ''].join('\n');
}
