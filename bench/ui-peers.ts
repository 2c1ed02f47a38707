/**
 * Web UI benchmark (issue 5): the peers page of a configuration with N peers (default 10,000)
 * against one with 10, in the same run, on a real panel (in process, SQLite, built UI) in Debian's
 * Chromium. Per round and configuration it times (a) opening the page until the first rows are
 * visible and (b) a search until its rows are shown. Prints medians and the ratios against the
 * goal (≤ 2×). A benchmark, not a test: it asserts nothing about time.
 *
 *   npm run bench:ui -- [--peers N] [--rounds N]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createAgentClients } from '../src/panel/adapters/agent-client/agent-clients.js';
import {
  migrateToLatest,
  openDatabase,
  type DatabaseHandle,
} from '../src/panel/adapters/db/index.js';
import { createUserStore } from '../src/panel/adapters/db/repos/auth-store.js';
import { bootstrapAdmin } from '../src/panel/app/auth/bootstrap-admin.js';
import { composePanel } from '../src/panel/compose.js';
import { resolvePanelConfig } from '../src/panel/config.js';
import { nameSortKey } from '../src/panel/domain/name-sort-key.js';
import { generateWgKeyPair } from '../src/shared/keys.js';
import { launchChromium } from '../test/browser/support/chromium.js';
import { ensureWebBuilt } from '../test/browser/support/ui-panel.js';
import { summarize } from './lib/stats.js';

const ADMIN = { username: 'admin', password: 'bench-password-123' };
const GOAL = 2;
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const name = (i: number) => `peer-${String(i).padStart(5, '0')}`;

/** A node nobody polls and a configuration on it with `count` peers, written straight in. */
async function seed(database: DatabaseHandle, cfg: string, count: number, subnet: number) {
  const nodeId = await database.insertReturningId('nodes', {
    name: `node-${cfg}`,
    url: 'https://127.0.0.1:1',
    token: 'bench-token-never-used',
    fingerprint: 'AA'.repeat(32),
    public_host: 'vpn.example.test',
    last_seen_at: null,
    last_error: null,
    agent_version: null,
    rtt_ms: null,
  });
  const configurationId = await database.insertReturningId('configurations', {
    node_id: nodeId,
    name: cfg,
    interface_name: cfg,
    address: `10.${subnet}.0.1/16`,
    listen_port: 51820 + subnet,
    public_key: generateWgKeyPair().publicKey,
    mtu: null,
    dns: null,
    endpoint_allowed_ip: null,
    keepalive: null,
  });
  for (let at = 0; at < count; at += 500) {
    const rows = [];
    for (let i = at; i < Math.min(count, at + 500); i++)
      rows.push({
        configuration_id: configurationId,
        name: name(i),
        name_sort_key: nameSortKey(name(i)),
        public_key: generateWgKeyPair().publicKey,
        private_key: null,
        preshared_key: null,
        allowed_ip: `10.${subnet}.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}/32`,
        endpoint_allowed_ip: null,
        dns: null,
        mtu: null,
        keepalive: null,
        restriction_reason: null,
        restricted_at: null,
        traffic_limit: i % 3 === 0 ? 10n * 2n ** 30n : null,
        expiry_date: null,
        reset_anchor: null,
        last_raw_rx: null,
        last_raw_tx: null,
        expiry_warned_for: null,
        endpoint: null,
        latest_handshake_at: null,
      });
    await database.db.insertInto('peers').values(rows).execute();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      peers: { type: 'string', default: '10000' },
      rounds: { type: 'string', default: '7' },
    },
  });
  const peers = Number(values.peers);
  const rounds = Number(values.rounds);
  await ensureWebBuilt();
  const dir = await mkdtemp(join(tmpdir(), 'wgfleet-bench-ui-'));
  const database = openDatabase(`sqlite:${join(dir, 'panel.db')}`);
  const agents = createAgentClients(5_000);
  const browser = await launchChromium();
  let panel: Awaited<ReturnType<typeof composePanel>> | null = null;
  try {
    await migrateToLatest(database);
    await bootstrapAdmin(createUserStore(database), ADMIN);
    log(`seeding 10 and ${peers} peers…`);
    await seed(database, 'small', 10, 8);
    await seed(database, 'large', peers, 9);
    const config = {
      ...resolvePanelConfig(
        {
          listen: '127.0.0.1:0',
          dataDir: dir,
          pollInterval: '60',
          pollConcurrency: '1',
          sessionTtl: '1',
          logLevel: 'silent',
        },
        {},
      ),
      databaseUrl: `sqlite:${join(dir, 'panel.db')}`,
    };
    panel = await composePanel(
      {
        config,
        database,
        logger: pino({ level: 'silent' }),
        now: () => new Date(),
        agents,
        metrics: new Registry(),
      },
      'bench',
    );
    const base = await panel.app.listen({ host: '127.0.0.1', port: 0 });
    const page = await browser.context.newPage();
    await page.goto(`${base}/signin`);
    await page.getByLabel('Username').fill(ADMIN.username);
    await page.getByLabel('Password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();

    const times: Record<string, { open: number[]; search: number[] }> = {
      small: { open: [], search: [] },
      large: { open: [], search: [] },
    };
    const term = name(7);
    for (let r = -2; r < rounds; r++) {
      // Interleaved, the order alternating, so drift in the machine's speed hits both alike.
      for (const cfg of r % 2 === 0 ? ['small', 'large'] : ['large', 'small']) {
        await page.goto('about:blank');
        const t0 = performance.now();
        await page.goto(`${base}/configurations/${cfg}`);
        await page.locator('tr[data-peer]').first().waitFor();
        const t1 = performance.now();
        await page.getByLabel('Search').fill(term);
        // A string: it runs in the page, where `document` exists (the bench is type-checked for Node).
        await page.waitForFunction(
          `(() => { const rows = [...document.querySelectorAll('tr[data-peer]')];
            return rows.length > 0 && rows.every((r) => r.getAttribute('data-peer') === ${JSON.stringify(term)}); })()`,
          undefined,
          { timeout: 30_000 },
        );
        const t2 = performance.now();
        if (r >= 0) {
          times[cfg]?.open.push(t1 - t0);
          times[cfg]?.search.push(t2 - t1);
        }
      }
    }
    const row = (label: string, small: number[], large: number[]) => {
      const s = summarize(small).median;
      const l = summarize(large).median;
      const ratio = l / s;
      return `  ${label.padEnd(40)} 10 peers ${s.toFixed(0).padStart(5)} ms · ${peers} peers ${l.toFixed(0).padStart(5)} ms · ratio ${ratio.toFixed(2)} (goal ≤ ${GOAL}) ${ratio <= GOAL ? 'ok' : 'MISSED'}`;
    };
    process.stdout.write(
      [
        `wgfleet web UI benchmark: peers page, 10 vs ${peers} peers, ${rounds} rounds (+2 warm-up), SQLite, Chromium`,
        row('first rows visible', times.small?.open ?? [], times.large?.open ?? []),
        row(
          'search answered (incl. 250 ms debounce)',
          times.small?.search ?? [],
          times.large?.search ?? [],
        ),
        '',
      ].join('\n'),
    );
  } finally {
    await browser.close();
    await panel?.stop();
    await panel?.app.close();
    await agents.closeAll();
    await database.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
