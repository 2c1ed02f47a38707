import type { ConvergeNow, ConvergeOptions } from '../sync/ports.js';
import type { PeerConfiguration } from './ports.js';

/** How long a request waits for its node before answering "saved, being applied". */
const WAIT_MS = 10_000;

/**
 * After a commit: asks for the configuration to converge now and says how it went, as the
 * `message` of the answer (null when the node has it already). Never throws: the database is the
 * truth, and the poller converges the node when it answers again.
 */
export async function applyToNode(
  converge: ConvergeNow,
  configuration: PeerConfiguration,
  options?: ConvergeOptions,
): Promise<string | null> {
  const node = configuration.node.name;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), WAIT_MS);
    timer.unref();
  });
  try {
    const result = await Promise.race([converge.converge(configuration.id, options), timeout]);
    if (result === 'timeout')
      return `saved; node "${node}" is slow to answer: it will be applied by the next poll`;
    if (result.applied) return null;
    return `saved; will be applied when node "${node}" answers (${result.reason})`;
  } catch (err) {
    const why = err instanceof Error ? err.message : 'unknown error';
    return `saved; will be applied when node "${node}" answers (${why})`;
  } finally {
    clearTimeout(timer);
  }
}
