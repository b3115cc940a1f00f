import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS, launch, open, serve } from '@sendsync/browser-tests/harness';
import { WEB_BUNDLERS, buildBrowserApp } from './builders.js';

/*
 * The web app in fixtures/browser-app, built by each bundler with the
 * plugin (minified, with source maps) and run in headless Chromium, served with
 * COOP/COEP and `Content-Security-Policy: script-src 'self'`: no source
 * text can be compiled in the page or its workers, so every thread runs
 * from a module of the bundle. Its threads call an imported helper, lock a
 * shared Mutex, send on a channel, and one panics; the panic's top frame,
 * mapped through the bundle's source map, is the closure's `throw`.
 */

const POLICY = "script-src 'self'";
const fixture = fileURLToPath(new URL('./fixtures/browser-app/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'sendsync-web-'));

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** A frame's `(url:line:column)`, mapped through the source map beside the chunk it names (in `outDir`): the source file and 1-based line. */
function mapped(frame: string, outDir: string): { source: string; line: number } {
  const match = /\(?(https?:\/\/[^/]+\/(.+?)):(\d+):(\d+)\)?$/.exec(frame);
  if (match === null) throw new Error(`not a frame with a position: ${frame}`);
  const [, , path, line, column] = match;
  const map = new SourceMap(JSON.parse(readFileSync(join(outDir, `${path}.map`), 'utf8')) as SourceMapPayload);
  const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as { originalSource?: string; originalLine?: number };
  if (entry.originalSource === undefined || entry.originalLine === undefined) throw new Error(`no mapping for ${frame}`);
  return { source: entry.originalSource, line: entry.originalLine + 1 };
}

describe.each(WEB_BUNDLERS)('a web app built by %s with the plugin, in Chromium under a strict Content Security Policy', (bundler) => {
  const outDir = join(work, bundler);
  let server: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    await buildBrowserApp(bundler, fixture, outDir);
    server = await serve({ root: outDir, headers: { 'Content-Security-Policy': POLICY } });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('runs its threads from the bundle: imported helper, Mutex, channel, panic with a source-mapped stack', async () => {
    const app = await open(browser, `${server.origin}/index.html`);
    try {
      const result = (await app.call('result')) as {
        crossOriginIsolated: boolean;
        compilingForbidden: boolean;
        squares: number[];
        counted: number;
        received: number[];
        panic: { rejected: boolean; isPanicError: boolean; message: string; frame: string };
      };
      // The headers are in force: shared memory, and no compiling of source text anywhere.
      expect(result.crossOriginIsolated).toBe(true);
      expect(result.compilingForbidden).toBe(true);
      expect(result.squares).toEqual([1, 4, 9, 16, 25, 36, 49, 64]);
      expect(result.counted).toBe(4 * 1000);
      expect(result.received).toEqual([1, 4, 9, 16, 25]);
      expect(result.panic).toMatchObject({ rejected: true, isPanicError: true, message: 'thread panicked on purpose' });
      const { source, line } = mapped(result.panic.frame, outDir);
      expect(source).toMatch(/fixtures\/browser-app\/main\.js$/);
      expect(line).toBe(readFileSync(join(fixture, 'main.js'), 'utf8').split('\n').findIndex((text) => text.includes("throw new RangeError('thread panicked on purpose')")) + 1);
      // The page and its workers broke no rule of the policy (Chromium reports each violation on the console), and every file was there.
      expect(app.log.filter((line) => /Content Security Policy|Refused to|HTTP 4\d\d/i.test(line))).toEqual([]);
    } finally {
      await app.page.close();
    }
  });

  it('is served with the headers the test means', async () => {
    const response = await fetch(`${server.origin}/index.html`);
    expect(response.headers.get('content-security-policy')).toBe(POLICY);
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) expect(response.headers.get(name)).toBe(value);
  });
});
