import { X509Certificate, createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The node's secret credential: the bearer token and the TLS identity the panel pins. */
export interface Credentials {
  readonly token: string;
  readonly keyPem: string;
  readonly certPem: string;
  /** Lowercase hex SHA-256 of the certificate's DER. */
  readonly fingerprint: string;
}

const FILES = { token: 'token', key: 'tls-key.pem', cert: 'tls-cert.pem' } as const;

/** SHA-256 of a PEM certificate's DER, lowercase hex. */
export function certFingerprint(certPem: string): string {
  return createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');
}

/** Reads the credential from the state folder; null when there is none yet. */
export async function loadCredentials(stateDir: string): Promise<Credentials | null> {
  try {
    const [token, keyPem, certPem] = await Promise.all(
      [FILES.token, FILES.key, FILES.cert].map((f) => readFile(join(stateDir, f), 'utf8')),
    );
    return {
      token: token!.trim(),
      keyPem: keyPem!,
      certPem: certPem!,
      fingerprint: certFingerprint(certPem!),
    };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Writes the credential, every file mode 0600 in a 0700 folder. */
export async function saveCredentials(stateDir: string, c: Credentials): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await chmod(stateDir, 0o700);
  for (const [file, text] of [
    [FILES.token, c.token + '\n'],
    [FILES.key, c.keyPem],
    [FILES.cert, c.certPem],
  ] as const) {
    const path = join(stateDir, file);
    await rm(path, { force: true });
    await writeFile(path, text, { mode: 0o600, flag: 'wx' });
  }
}
