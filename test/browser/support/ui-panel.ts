import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll } from 'vitest';
import { DIALECTS_UNDER_TEST } from '../../db/support/dialects-under-test.js';
import {
  usePanel,
  type PanelUnderTest,
  type PanelUnderTestOptions,
} from '../../panel/support/panel-under-test.js';

const WEB = fileURLToPath(new URL('../../../web/', import.meta.url));

/** Builds web/dist when it is missing (`npm ci` builds it; a fresh checkout may not have). */
export async function ensureWebBuilt(): Promise<void> {
  if (existsSync(`${WEB}dist/index.html`)) return;
  const { build } = await import('vite');
  await build({ configFile: `${WEB}vite.config.ts`, logLevel: 'warn' });
}

/**
 * A whole panel on SQLite (the UI is the same on every database; the API tests cover them all),
 * on the real clock, listening on 127.0.0.1 on a free port and serving the built UI.
 */
export function useUiPanel(
  options: Omit<PanelUnderTestOptions, 'realClock'> = {},
): () => PanelUnderTest & { readonly baseUrl: string } {
  const sqlite = DIALECTS_UNDER_TEST.find((d) => d.name === 'sqlite');
  if (!sqlite) throw new Error('no SQLite dialect under test');
  beforeAll(ensureWebBuilt, 120_000);
  const get = usePanel(sqlite, { ...options, realClock: true });
  let baseUrl = '';
  beforeAll(async () => {
    baseUrl = await get().panel.app.listen({ host: '127.0.0.1', port: 0 });
  });
  // usePanel's afterAll closes the app, and with it the listening socket.
  return () => ({ ...get(), baseUrl });
}
