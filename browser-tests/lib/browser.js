// @ts-check
/**
 * Headless Chromium, driven by playwright-core. The browser is the system's
 * (Debian's `chromium` package, which `.ci/run` installs): playwright-core
 * never downloads one. `CHROMIUM` names another binary.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/** The binary, unless `CHROMIUM` names another. */
export const CHROMIUM = process.env['CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Flags for a machine with no network but the loopback and no GPU: without
 * the background-networking ones Chromium keeps trying to reach Google's
 * hosts. playwright-core gives every launch a fresh, empty profile
 * (`--user-data-dir` in a temporary folder, removed at close).
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** @returns {Promise<import('playwright-core').Browser>} */
export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium package (apt-get install -y chromium; .ci/run does) or set CHROMIUM to a Chromium binary`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS, timeout: 60_000 });
}

/**
 * What server.js's document sets on the page's global object.
 * @typedef {{ pageReady?: boolean, pageError?: string, page: Record<string, (...args: unknown[]) => unknown> }} PageGlobals
 */

/**
 * A page's module, loaded: what `page.evaluate` can call, and what the page
 * printed or threw outside the calls (kept for a failing test's message).
 * @typedef {object} LoadedPage
 * @property {import('playwright-core').Page} page
 * @property {(name: string, ...args: unknown[]) => Promise<unknown>} call calls the page module's export `name` in the page and returns its (cloned) result
 * @property {string[]} log console messages and uncaught errors, in order
 */

/**
 * Opens `url` (a document from server.js) in a new tab and waits until its
 * page module has loaded; a module that fails to load rejects with its error.
 * @param {import('playwright-core').Browser} browser
 * @param {string} url
 * @returns {Promise<LoadedPage>}
 */
export async function open(browser, url) {
  const page = await browser.newPage();
  /** @type {string[]} */
  const log = [];
  page.on('console', (message) => log.push(`console.${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => log.push(`uncaught: ${error.stack ?? error.message}`));
  page.on('crash', () => log.push('the page crashed'));
  page.on('response', (response) => {
    if (response.status() >= 400) log.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => /** @type {PageGlobals} */ (/** @type {unknown} */ (globalThis)).pageReady === true, undefined, { timeout: 60_000 });
  const loadError = await page.evaluate(() => /** @type {PageGlobals} */ (/** @type {unknown} */ (globalThis)).pageError);
  if (loadError !== undefined) {
    await page.close();
    throw new Error(`${url} failed to load its module:\n${loadError}\n${log.join('\n')}`);
  }
  return {
    page,
    log,
    call: (name, ...args) =>
      page.evaluate(
        async ([name, args]) => {
          const module = /** @type {PageGlobals} */ (/** @type {unknown} */ (globalThis)).page;
          const exported = module[/** @type {string} */ (name)];
          if (typeof exported !== 'function') throw new Error(`the page module has no function ${String(name)}`);
          try {
            return await exported(.../** @type {unknown[]} */ (args));
          } catch (error) {
            // Only the message crosses back to Node: put the causes (a PanicError's thread error) in it.
            let text = '';
            for (let each = error, depth = 0; each !== undefined && depth < 8; each = /** @type {{ cause?: unknown }} */ (each)?.cause, depth++) {
              text += (depth === 0 ? '' : '\ncaused by: ') + String(/** @type {{ stack?: unknown }} */ (each)?.stack ?? each);
            }
            throw new Error(text);
          }
        },
        /** @type {const} */ ([name, args]),
      ),
  };
}
