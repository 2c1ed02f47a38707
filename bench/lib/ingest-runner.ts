import { fork, execFile, type ChildProcess } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CyclesAnswer, CyclesRequest } from './ingest-cycles.js';
import type { DumpSource } from './ingest-fixture.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// Inside the repository (under node_modules, ignored by git) so the compiled files resolve the
// same packages as the sources.
const OUT = join(ROOT, 'node_modules/.cache/wgfleet-bench-ingest');

/**
 * Compiles bench/lib/ingest-cycles.ts and what it imports (the panel's sources) with the
 * project's tsc, as `npm run build` compiles the product, into a private folder; returns the
 * compiled entry. Type checking is `npm run typecheck`'s job, so it is skipped here.
 */
export async function compileCycles(): Promise<string> {
  await rm(join(OUT, 'out'), { recursive: true, force: true }); // nothing stale
  await mkdir(OUT, { recursive: true });
  const up = relative(OUT, ROOT);
  await writeFile(
    join(OUT, 'tsconfig.json'),
    JSON.stringify({
      extends: join(up, 'tsconfig.json'),
      compilerOptions: {
        outDir: 'out',
        rootDir: up,
        noCheck: true,
        sourceMap: false,
        incremental: false,
      },
      files: [join(up, 'bench/lib/ingest-cycles.ts')],
      include: [],
    }),
  );
  // ES modules, as the repository's package.json says (node stops looking at node_modules).
  await mkdir(join(OUT, 'out'), { recursive: true });
  await writeFile(join(OUT, 'out/package.json'), '{"type":"module"}\n');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', join(OUT, 'tsconfig.json')], {
    cwd: ROOT,
  });
  return join(OUT, 'out/bench/lib/ingest-cycles.js');
}

type Answer<T extends CyclesAnswer['type']> = Extract<CyclesAnswer, { type: T }>;

/** The measured process (see ingest-cycles.ts): one request at a time. */
export class CyclesProcess {
  private constructor(private readonly child: ChildProcess) {}

  /**
   * Starts it on plain node (no loader; `--expose-gc` only for the live heap at the end) with
   * `nodeOptions` (the panel unit's, see PANEL_NODE_OPTIONS, or none).
   */
  static async start(
    entry: string,
    url: string,
    configurations: readonly DumpSource[],
    nodeOptions: readonly string[] = [],
  ): Promise<{ process: CyclesProcess; ready: Answer<'ready'> }> {
    const child = fork(entry, [], {
      execArgv: ['--expose-gc', ...nodeOptions],
      serialization: 'advanced', // the keys go over as Buffers
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const p = new CyclesProcess(child);
    const ready = await p.ask({ type: 'start', url, configurations: [...configurations] }, 'ready');
    return { process: p, ready };
  }

  /** One cycle at round `round`. */
  cycle(round: number): Promise<Answer<'cycle'>> {
    return this.ask({ type: 'cycle', round }, 'cycle');
  }

  /** Writes the samples still in memory, counts the minute rows, and ends the process. */
  async finish(): Promise<Answer<'finished'>> {
    const done = new Promise((r) => this.child.once('exit', r));
    const answer = await this.ask({ type: 'finish' }, 'finished');
    await done;
    return answer;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }

  private ask<T extends CyclesAnswer['type']>(request: CyclesRequest, type: T): Promise<Answer<T>> {
    return new Promise((resolveAnswer, reject) => {
      const onExit = (code: number | null) =>
        reject(new Error(`the measured process exited (${code}) before answering ${request.type}`));
      this.child.once('exit', onExit);
      this.child.once('message', (answer: CyclesAnswer) => {
        this.child.off('exit', onExit);
        if (answer.type === type) resolveAnswer(answer as Answer<T>);
        else if (answer.type === 'error') reject(new Error(`measured process: ${answer.message}`));
        else reject(new Error(`expected ${type}, got ${answer.type}`));
      });
      this.child.send(request);
    });
  }
}
