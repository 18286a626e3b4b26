import fs from 'node:fs';
import { Browser, chromium, Page } from 'playwright-core';

/**
 * Tests in a real browser (`*.browser.test.ts`): Debian's Chromium (`apt-get install -y chromium`,
 * never a browser download) driven by playwright-core. Without Chromium they are skipped, and the
 * file says so in one line on stderr.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * What this machine's Chromium needs: headless, no sandbox (root in a container), no GPU, and no
 * reaching out (QUIC, first-run, background networking, component updates, sync). Playwright's
 * `launch` adds a fresh `--user-data-dir` of its own (a new temp profile, removed on close).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser tests cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  try {
    fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
    return null;
  } catch {
    const how = process.env.CHROMIUM_PATH ? 'CHROMIUM_PATH points to no executable' : 'install it with: apt-get install -y chromium, or set CHROMIUM_PATH';
    return `no Chromium at ${CHROMIUM_PATH} (${how})`;
  }
}

let told = false;

/**
 * `describe` for browser tests: runs them when Chromium is here, and otherwise skips them with one
 * line saying so (written straight to stderr, so Jest prints it as it is).
 */
export function describeBrowser(name: string, fn: () => void): void {
  const missing = chromiumMissing();
  if (!missing) {
    describe(name, fn);
    return;
  }
  if (!told) {
    told = true;
    process.stderr.write(`browser tests skipped: ${missing}\n`);
  }
  describe.skip(name, fn);
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 20_000 });
}

/**
 * Everything a page said went wrong (uncaught errors, console errors such as a refused script or
 * a CSP violation), for a test to assert there was none.
 */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return errors;
}
