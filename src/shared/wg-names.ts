/** Interface names wg-quick and the kernel accept: at most 15 characters, no shell metacharacters. */
export const INTERFACE_NAME_PATTERN = '^[A-Za-z0-9_=+.-]{1,15}$';
const INTERFACE_NAME_RE = new RegExp(INTERFACE_NAME_PATTERN);

/** True when `name` is a valid WireGuard interface name. */
export function isInterfaceName(name: string): boolean {
  return INTERFACE_NAME_RE.test(name);
}
