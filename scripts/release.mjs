// Builds the release artifacts into --out (default ./release):
//   wgfleet-<version>.tgz   `npm pack` of the package (its prepare script builds dist/ and web/dist/)
//   prebuilds/better-sqlite3-v<v>-node-v<abi>-<platform>-<arch>.tar.gz
//                           this machine's build of better-sqlite3's native module, for servers
//                           that can neither download its prebuilt binary nor compile it
// --no-build packs the tree as it is (dist/ already built), as the tests do.
// Install on a server (see docs/INSTALL.md):
//   npm_config_better_sqlite3_local_prebuilds=$PWD/prebuilds \
//     npm install -g --allow-scripts=better-sqlite3 ./wgfleet-<version>.tgz
import { execFileSync } from 'node:child_process';
import process from 'node:process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { out: { type: 'string', default: 'release' }, 'no-build': { type: 'boolean' } },
});
const out = path.resolve(values.out);
mkdirSync(path.join(out, 'prebuilds'), { recursive: true });

const pack = [
  'pack',
  '--pack-destination',
  out,
  ...(values['no-build'] ? ['--ignore-scripts'] : []),
];
const packed = execFileSync('npm', pack, { cwd: root, encoding: 'utf8' }).trim().split('\n').at(-1);

// prebuild-install (better-sqlite3's install script) looks for exactly this name in the folder
// given by npm_config_better_sqlite3_local_prebuilds before it tries to download.
const sqlite = path.join(root, 'node_modules', 'better-sqlite3');
const { version } = JSON.parse(readFileSync(path.join(sqlite, 'package.json'), 'utf8'));
const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
const stage = mkdtempSync(path.join(tmpdir(), 'wgfleet-prebuild-'));
try {
  mkdirSync(path.join(stage, 'build', 'Release'), { recursive: true });
  cpSync(
    path.join(sqlite, 'build', 'Release', 'better_sqlite3.node'),
    path.join(stage, 'build', 'Release', 'better_sqlite3.node'),
  );
  execFileSync('tar', ['-czf', path.join(out, 'prebuilds', name), '-C', stage, 'build']);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
process.stdout.write(`${path.join(out, packed)}\n${path.join(out, 'prebuilds', name)}\n`);
