// The panel serving HTTPS itself (--tls-cert/--tls-key): a sign-in over TLS gets a Secure session
// cookie and HSTS, SIGHUP swaps in a renewed certificate without a restart; behind a reverse
// proxy, X-Forwarded-Proto counts only from the addresses --trust-proxy names.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCredentials } from '../../src/agent/credentials/create-credentials.js';
import { DIALECTS_UNDER_TEST } from '../db/support/dialects-under-test.js';
import { ADMIN, usePanel } from '../panel/support/panel-under-test.js';
import { CLI_COMMAND, REPO_ROOT, freePort, waitFor } from '../lab/index.js';

const PASSWORD = `tls-${process.pid}-password`;

/** SHA-256 (hex) of the certificate the server at port presents. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const cert = s.getPeerX509Certificate();
      s.destroy();
      resolve(cert ? createHash('sha256').update(cert.raw).digest('hex') : '');
    });
    s.once('error', reject);
  });
}

describe('the panel over its own TLS', () => {
  let dir = '';
  let panel: ChildProcess | undefined;
  let port = 0;
  const output: string[] = [];
  const certFile = () => join(dir, 'cert.pem');
  const keyFile = () => join(dir, 'key.pem');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wgfleet-tls-'));
    const first = await createCredentials(['127.0.0.1']);
    await writeFile(certFile(), first.certPem);
    await writeFile(keyFile(), first.keyPem, { mode: 0o600 });
    port = await freePort();
    const [node = process.execPath, ...rest] = CLI_COMMAND;
    const args = [
      ...rest,
      'panel',
      '--data-dir',
      join(dir, 'data'),
      '--listen',
      `127.0.0.1:${port}`,
    ];
    args.push('--tls-cert', certFile(), '--tls-key', keyFile());
    panel = spawn(node, args, {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', WGFLEET_ADMIN_PASSWORD: PASSWORD },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = panel;
    proc.stdout?.on('data', (b: Buffer) => output.push(b.toString()));
    proc.stderr?.on('data', (b: Buffer) => output.push(b.toString()));
    await waitFor(
      'the panel to serve TLS',
      async () => {
        if (proc.exitCode !== null) throw new Error(`panel exited:\n${output.join('')}`);
        return (await servedFingerprint(port).catch(() => '')) === first.fingerprint || undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
  });
  afterAll(async () => {
    if (panel && panel.exitCode === null) {
      panel.kill('SIGTERM');
      await new Promise((r) => panel?.once('exit', r));
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('signs the admin in over HTTPS with a Secure cookie and HSTS', async () => {
    const ca = await readFile(certFile(), 'utf8');
    const dispatcher = new Agent({ connect: { ca } });
    const res = await undiciFetch(`https://127.0.0.1:${port}/api/authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
      dispatcher,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/i);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const nodes = await undiciFetch(`https://127.0.0.1:${port}/api/getNodes`, {
      headers: { cookie },
      dispatcher,
    });
    expect(nodes.status).toBe(200);
    await dispatcher.close();
  });

  it('serves a renewed certificate after SIGHUP, without a restart', async () => {
    const renewed = await createCredentials(['127.0.0.1']);
    await writeFile(certFile(), renewed.certPem);
    await writeFile(keyFile(), renewed.keyPem, { mode: 0o600 });
    const pid = panel?.pid;
    panel?.kill('SIGHUP');
    await waitFor(
      'the renewed certificate served',
      async () => (await servedFingerprint(port)) === renewed.fingerprint || undefined,
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(panel?.pid).toBe(pid);
    expect(panel?.exitCode).toBeNull();
  });
});

describe('the panel behind a reverse proxy (--trust-proxy)', () => {
  const sqlite = DIALECTS_UNDER_TEST[0]!;
  const trusted = usePanel(sqlite, { config: { trustProxy: ['127.0.0.1'] } });
  const untrusted = usePanel(sqlite, { config: { trustProxy: ['10.9.9.9'] } });

  const signIn = (p: ReturnType<typeof trusted>) =>
    p.panel.app.inject({
      method: 'POST',
      url: '/api/authenticate',
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' },
      remoteAddress: '127.0.0.1',
      payload: ADMIN,
    });

  it('takes X-Forwarded-Proto from a listed proxy: Secure cookie and HSTS', async () => {
    const res = await signIn(trusted());
    expect(res.statusCode, res.body).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure/i);
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
  });

  it('ignores it from any other address', async () => {
    const res = await signIn(untrusted());
    expect(res.statusCode, res.body).toBe(200);
    expect(String(res.headers['set-cookie'])).not.toMatch(/Secure/i);
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});
