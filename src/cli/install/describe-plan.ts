import type { Action } from './plan.js';

const mode = (m: number) => m.toString(8).padStart(4, '0');

/** One line naming the step (paths on the target system). */
export function describeAction(a: Action): string {
  switch (a.kind) {
    case 'user':
      return `system user ${a.name} (home ${a.home}, no login)`;
    case 'dir':
      return `folder ${a.path} ${mode(a.mode)} ${a.owner}:${a.owner}`;
    case 'file':
      return `file ${a.path} ${mode(a.mode)} ${a.owner}:${a.group}${a.replace ? '' : ' (kept if present)'}`;
    case 'credential':
      return `node credential in ${a.stateDir} (token, TLS key and certificate, 0600; kept if present)`;
    case 'systemctl':
      return `systemctl ${a.args.join(' ')}`;
    case 'remove':
      return `remove ${a.path}${a.recursive ? ' and everything in it' : ''}`;
    case 'userdel':
      return `remove system user ${a.name}`;
  }
}

/** What a dry run prints: every step, and every file's content (secret values hidden). */
export function describePlan(actions: readonly Action[]): string {
  const out: string[] = [];
  for (const a of actions) {
    out.push(`- ${describeAction(a)}`);
    if (a.kind !== 'file') continue;
    const content = a.secret ? a.content.replace(/^([A-Z_]+)=.*$/gm, '$1=<secret>') : a.content;
    out.push(
      ...content
        .trimEnd()
        .split('\n')
        .map((l) => `    ${l}`),
    );
  }
  return out.join('\n') + '\n';
}
