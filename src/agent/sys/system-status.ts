import { statfs } from 'node:fs/promises';
import { cpus, freemem, hostname, loadavg, totalmem, uptime } from 'node:os';
import type { AgentSystem } from '../../shared/wire/agent-api.js';

/** Available memory: MemAvailable from /proc/meminfo (what can be had without swapping), else free. */
async function availableMemory(read: (path: string) => Promise<string>): Promise<number> {
  try {
    const m = /^MemAvailable:\s+(\d+) kB$/m.exec(await read('/proc/meminfo'));
    if (m?.[1]) return Number(m[1]) * 1024;
  } catch {
    // Not Linux, or no /proc: the kernel's free memory is the next best.
  }
  return freemem();
}

/** The node's load, memory, root disk and uptime, read now. */
export async function readSystemStatus(
  version: string,
  read: (path: string) => Promise<string>,
): Promise<AgentSystem> {
  const disk = await statfs('/');
  return {
    version,
    hostname: hostname(),
    uptime_seconds: Math.floor(uptime()),
    load: loadavg().map((l) => Math.round(l * 100) / 100),
    cpus: cpus().length,
    memory: { total: totalmem(), available: await availableMemory(read) },
    disk: { path: '/', total: disk.blocks * disk.bsize, available: disk.bavail * disk.bsize },
  };
}
