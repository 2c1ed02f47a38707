import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** artifacts/browser/ at the repository root (gitignored): screenshots for a person to look at. */
export const ARTIFACTS = fileURLToPath(new URL('../../../artifacts/browser/', import.meta.url));

/** Saves a screenshot (the whole page unless `fullPage: false`) as artifacts/browser/<name>.png. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage });
}
