/**
 * The harness itself, on the platform alone: a cross-origin-isolated page,
 * module workers sharing memory through Atomics, and a page served without
 * COOP/COEP that has no SharedArrayBuffer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, open, serve } from '../lib/harness.js';

let server: Awaited<ReturnType<typeof serve>>;
let browser: Browser;

beforeAll(async () => {
  server = await serve();
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const RAW = '/browser-tests/pages/raw.js';

describe('harness', () => {
  it('serves a cross-origin-isolated page whose module workers count exactly through Atomics', async () => {
    const { page, call } = await open(browser, server.urlOf(RAW));
    try {
      for (let round = 0; round < 5; round++) {
        expect(await call('sharedCounter', 4, 100_000)).toEqual({ crossOriginIsolated: true, total: 400_000 });
      }
    } finally {
      await page.close();
    }
  });

  it('serves a page without COOP/COEP that has no SharedArrayBuffer', async () => {
    const { page, call } = await open(browser, server.urlOf(RAW, { isolated: false }));
    try {
      expect(await call('isolation')).toEqual({ crossOriginIsolated: false, sharedArrayBuffer: 'undefined' });
    } finally {
      await page.close();
    }
  });

  it('reports a page module that does not load, with its error', async () => {
    await expect(open(browser, server.urlOf('/browser-tests/pages/no-such-page.js'))).rejects.toThrow(/no-such-page\.js failed to load its module/);
  });
});
