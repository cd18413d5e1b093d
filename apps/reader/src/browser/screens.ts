import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { PageWatch } from './page-watch.js';

/**
 * READER_SCREENS_DIR, or gatehouse-reader-screens in the system's temporary directory:
 * never inside the repository, where a test run would leave files for a commit to pick up.
 */
export const SCREENS_DIR = process.env.READER_SCREENS_DIR ?? join(tmpdir(), 'gatehouse-reader-screens');

/**
 * Screenshots of one device's journey, "<step>-<device>.png", so the two widths of a screen
 * sort side by side. They are for people to look at; the test compares nothing in them.
 */
export function screenshotter(page: Page, device: string): (step: string) => Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  return async (step) => {
    // Finished animations and no caret: what the screen looks like, not one frame of it.
    await page.screenshot({ path: join(SCREENS_DIR, `${step}-${device}.png`), animations: 'disabled', caret: 'hide' });
  };
}

/**
 * Runs a test's steps in `page`; when one fails, saves the screen as it was then
 * ("failed-<name>.png") and adds its path and the page's console errors to the error:
 * what someone debugging the run needs first.
 */
export async function explainFailure(
  page: Page,
  watch: PageWatch,
  name: string,
  steps: () => Promise<void>,
): Promise<void> {
  try {
    await steps();
  } catch (error) {
    mkdirSync(SCREENS_DIR, { recursive: true });
    const path = join(SCREENS_DIR, `failed-${name}.png`);
    const screen = await page.screenshot({ path }).then(
      () => path,
      () => '(none: the page was gone)',
    );
    if (error instanceof Error) {
      error.message += `\n  screen at the failure: ${screen}\n  page console errors: ${JSON.stringify(watch.consoleErrors)}`;
    }
    throw error;
  }
}
