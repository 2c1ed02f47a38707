import { createHash } from 'node:crypto';

/**
 * The IFB device that shapes an interface's uploads: `ifb-<name>` when that fits in 15
 * characters, else `ifb-<first 5>-<5 hex of a hash of the name>` (two interfaces never share one).
 */
export function ifbName(iface: string): string {
  const plain = `ifb-${iface}`;
  if (plain.length <= 15) return plain;
  const h = createHash('sha256').update(iface).digest('hex').slice(0, 5);
  return `ifb-${iface.slice(0, 5)}-${h}`;
}
