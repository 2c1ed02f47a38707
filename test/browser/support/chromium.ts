import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium (scripts/ensure-system.sh installs it); never a downloaded browser build. */
export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Starts Chromium on a fresh, throw-away profile; `close` ends it and removes the profile. `locale`
 * is the browser's language (navigator.languages, Accept-Language); English unless given.
 */
export async function launchChromium(
  viewport = { width: 1280, height: 800 },
  locale = 'en-US',
  /** The browser's time zone; the machine's unless given. */
  timezoneId?: string,
): Promise<Chromium> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (scripts/ensure-system.sh)`);
  const profile = await mkdtemp(join(tmpdir(), 'wgfleet-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
    locale,
    ...(timezoneId && { timezoneId }),
    timeout: 30_000,
  });
  context.setDefaultTimeout(10_000);
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
