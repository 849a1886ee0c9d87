/**
 * Headless Chromium for end-to-end tests of rendered pages, through playwright-core (which
 * ships no browser). The system's Chromium is used; a missing browser fails the test with how
 * to install one, because a silently skipped browser test is a test CI never runs.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian (`chromium`) and Ubuntu/older Debian (`chromium-browser`) put the binary. */
export const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'] as const;

export class ChromiumNotFoundError extends Error {
  readonly code = 'RECON_TEST_NO_CHROMIUM';
}

/**
 * The Chromium executable: `CHROMIUM_PATH` when set (and then it must exist), else the first of
 * {@link CHROMIUM_CANDIDATES} that exists.
 *
 * @example
 * findChromium({ CHROMIUM_PATH: '/opt/chrome/chrome' }); // '/opt/chrome/chrome' (when it exists)
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): string {
  const configured = env.CHROMIUM_PATH;
  if (configured) {
    if (exists(configured)) return configured;
    throw new ChromiumNotFoundError(`CHROMIUM_PATH is set to ${configured}, but there is no file there.\n${HOW_TO_INSTALL}`);
  }
  const found = CHROMIUM_CANDIDATES.find((path) => exists(path));
  if (found) return found;
  throw new ChromiumNotFoundError(`No Chromium found (looked at CHROMIUM_PATH, ${CHROMIUM_CANDIDATES.join(', ')}).\n${HOW_TO_INSTALL}`);
}

const HOW_TO_INSTALL = [
  'The HTML report test opens the report in a real headless Chromium. Install one:',
  '  Debian:  sudo apt-get install -y chromium',
  '  Ubuntu:  sudo apt-get install -y chromium-browser   (or a Chrome/Chromium from another source)',
  'or point CHROMIUM_PATH at any Chromium or Chrome executable.',
].join('\n');

/**
 * Launches headless Chromium. `--no-sandbox` because CI containers run as root, where Chromium's
 * sandbox refuses to start.
 *
 * @example
 * const browser = await launchChromium();
 * try { const page = await browser.newPage(); … } finally { await browser.close(); }
 */
export async function launchChromium(env: NodeJS.ProcessEnv = process.env): Promise<Browser> {
  return chromium.launch({ executablePath: findChromium(env), args: ['--no-sandbox'], headless: true });
}
