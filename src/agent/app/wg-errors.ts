import { ProcessError } from '../sys/process-runner.js';
import { AgentError, notFound, wgFailed } from './errors.js';

// How wg reports an interface that is not there: "No such device" from the kernel's netlink,
// "Protocol not supported" when there is no kernel module and no userspace socket either.
const NO_DEVICE =
  /Unable to (?:access|modify) interface: (?:No such device|Protocol not supported)/;

/** True when `wg` failed because the interface is not there. */
export function isNoDevice(e: unknown): boolean {
  return e instanceof ProcessError && NO_DEVICE.test(e.stderr);
}

/** Runs a `wg` call and turns its failure into an AgentError (404 for a missing interface). */
export async function wgCall<T>(iface: string, action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof AgentError) throw e;
    if (isNoDevice(e)) throw notFound(`interface ${iface}`);
    if (e instanceof ProcessError) throw wgFailed(action, e.stderr || e.message);
    throw e;
  }
}
