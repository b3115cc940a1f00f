/**
 * A test file's page: a server, a headless Chromium and one page module
 * loaded in it, opened before the file's tests and closed after them.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, open, serve } from '../lib/harness.js';

/** What a test file holds while its tests run. */
export interface PageSession {
  /** Runs the page module's export `name`; a failure's message carries what the page printed. */
  call(this: void, name: string, ...args: unknown[]): Promise<unknown>;
  /** The browser, for pages of the file's own. */
  browser(): Browser;
  /** The server, for the addresses of other pages. */
  server(): Awaited<ReturnType<typeof serve>>;
}

/** Serves the repository, launches Chromium and opens `page` (a module path under the root) for the calling file's tests. */
export function pageSession(page: string): PageSession {
  let server: Awaited<ReturnType<typeof serve>> | undefined;
  let browser: Browser | undefined;
  let loaded: Awaited<ReturnType<typeof open>> | undefined;
  beforeAll(async () => {
    server = await serve();
    browser = await launch();
    loaded = await open(browser, server.urlOf(page));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    async call(name, ...args) {
      try {
        return await loaded!.call(name, ...args);
      } catch (error) {
        throw new Error(`${name} failed in the page: ${(error as Error).message}\npage log:\n${loaded!.log.join('\n')}`, { cause: error });
      }
    },
    browser: () => browser!,
    server: () => server!,
  };
}
