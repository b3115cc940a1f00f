/**
 * The harness itself, on the platform alone: a cross-origin-isolated page,
 * module workers sharing memory through Atomics, and a page served without
 * COOP/COEP that has no SharedArrayBuffer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launch, open, serve } from '../lib/harness.js';
import { resolveBareImports } from '../lib/bare-imports.js';

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

  it("resolves bare specifiers on the server, so that module workers (which do not see a page's import map) load packages", async () => {
    const { page, call } = await open(browser, server.urlOf(RAW));
    try {
      expect(await call('bareImportInWorker')).toEqual(['x']);
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

describe('bare specifiers', () => {
  const map = { imports: { pkg: '/node_modules/pkg/index.js' }, scopes: { '/packages/runtime/': { '#host': '/packages/runtime/dist/host/web.js' } } };

  it('rewrites static imports, re-exports and literal dynamic imports through the map, scopes first', () => {
    const source = `import a from 'pkg';\nexport * from "pkg";\nconst h = import('#host');\nimport './local.js';\nimport('https://example.invalid/x.js');`;
    expect(resolveBareImports(source, '/packages/runtime/dist/index.js', map)).toBe(
      `import a from '/node_modules/pkg/index.js';\nexport * from "/node_modules/pkg/index.js";\nconst h = import("/packages/runtime/dist/host/web.js");\nimport './local.js';\nimport('https://example.invalid/x.js');`,
    );
  });

  it('leaves a name outside its scope, or unmapped, for the browser to refuse', () => {
    expect(resolveBareImports(`import '#host'; import 'other';`, '/browser-tests/pages/x.js', map)).toBe(`import '#host'; import 'other';`);
  });
});
