import { readFile } from 'node:fs/promises';

/** Memory of a process as the kernel reports it, in KiB. */
export interface MemoryUsage {
  /** Resident set size now (`VmRSS`). */
  readonly rssKiB: number;
  /** Peak resident set size since the process started (`VmHWM`). */
  readonly hwmKiB: number;
  /** Of `rssKiB`: anonymous memory (heap, malloc), the process's own (`RssAnon`). */
  readonly anonKiB: number;
  /** Of `rssKiB`: file-backed pages, mostly the node binary's code shared with other processes (`RssFile`). */
  readonly fileKiB: number;
}

/** Reads `VmRSS`, `VmHWM`, `RssAnon` and `RssFile` from `/proc/<pid>/status`. */
export async function readMemory(pid: number): Promise<MemoryUsage> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!m?.[1]) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(m[1]);
  };
  return {
    rssKiB: kib('VmRSS'),
    hwmKiB: kib('VmHWM'),
    anonKiB: kib('RssAnon'),
    fileKiB: kib('RssFile'),
  };
}
