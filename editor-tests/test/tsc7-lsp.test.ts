/**
 * TypeScript 7's language server (`tsc --lsp --stdio`), spoken to over LSP as
 * VS Code's TypeScript (Native Preview) extension does: initialize, open a
 * document, pull its diagnostics, edit it, pull again.
 */

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileUri, LspClient } from './support/clients.js';
import { cleanFiles, fixturePath, fixtureRoot, fixtureText, rangeOf, ts2345, typeErrorCases } from './support/fixture.js';
import { SERVER_START_MS, SERVER_STOP_MS, TEST_TIMEOUT_MS } from './support/limits.js';

const require = createRequire(import.meta.url);
const tsc7 = join(dirname(require.resolve('typescript-7/package.json')), 'bin/tsc');

describe('tsc --lsp --stdio (TypeScript 7)', { timeout: TEST_TIMEOUT_MS }, () => {
  let server: LspClient;

  beforeAll(async () => {
    expect((require('typescript-7/package.json') as { version: string }).version).toMatch(/^7\./);
    server = await LspClient.start({ label: 'tsc --lsp', args: [tsc7, '--lsp', '--stdio'], root: fixtureRoot });
  }, SERVER_START_MS);

  afterAll(async () => {
    await server?.stop();
  }, SERVER_STOP_MS);

  for (const expected of typeErrorCases) {
    it(`underlines the culprit in ${expected.file} with E0277, and clears it once fixed`, async () => {
      const uri = fileUri(fixturePath(expected.file));
      const text = fixtureText(expected.file);
      server.didOpen(uri, 'typescript', 1, text);

      const diagnostics = await server.pullDiagnostics(uri);
      expect(diagnostics.map((d) => ({ code: d.code, severity: d.severity, range: d.range, message: d.message }))).toEqual([
        {
          code: 2345,
          severity: 1, // Error
          range: rangeOf(text, expected.context, expected.culprit),
          message: ts2345(expected),
        },
      ]);

      server.didChange(uri, 2, expected.fix(text));
      expect(await server.pullDiagnostics(uri)).toEqual([]);
      server.didClose(uri);
    });
  }

  for (const file of cleanFiles) {
    it(`reports nothing for ${file}`, async () => {
      const uri = fileUri(fixturePath(file));
      server.didOpen(uri, 'typescript', 1, fixtureText(file));
      expect(await server.pullDiagnostics(uri)).toEqual([]);
      server.didClose(uri);
    });
  }
});
