/**
 * TypeScript 6's `tsserver`, as VS Code's TypeScript extension drives it:
 * open a file, ask for its semantic diagnostics (`geterr` and the events it
 * triggers, and `semanticDiagnosticsSync`), edit it, ask again.
 */

import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TsServerClient, type Range, type TsDiagnostic } from './support/clients.js';
import { cleanFiles, fixturePath, fixtureRoot, fixtureText, rangeOf, ts2345, typeErrorCases } from './support/fixture.js';
import { SERVER_START_MS, SERVER_STOP_MS, TEST_TIMEOUT_MS } from './support/limits.js';

const tsserver = createRequire(import.meta.url).resolve('typescript/lib/tsserver.js');

/** A `tsserver` span (one-based) as an LSP range (zero-based), to compare with the expected one. */
function toRange(diagnostic: TsDiagnostic): Range {
  return {
    start: { line: diagnostic.start.line - 1, character: diagnostic.start.offset - 1 },
    end: { line: diagnostic.end.line - 1, character: diagnostic.end.offset - 1 },
  };
}

describe('tsserver (TypeScript 6)', { timeout: TEST_TIMEOUT_MS }, () => {
  let server: TsServerClient;

  beforeAll(async () => {
    server = await TsServerClient.start({ tsserver, root: fixtureRoot });
    const version = await server.request<{ version?: string }>('status', {});
    expect(version.version).toMatch(/^6\./);
  }, SERVER_START_MS);

  afterAll(async () => {
    await server?.stop();
  }, SERVER_STOP_MS);

  for (const expected of typeErrorCases) {
    it(`underlines the culprit in ${expected.file} with E0277, and clears it once fixed`, async () => {
      const file = fixturePath(expected.file);
      const text = fixtureText(expected.file);
      await server.open(file, text, fixtureRoot);

      const squiggle = {
        code: 2345,
        category: 'error',
        range: rangeOf(text, expected.context, expected.culprit),
        text: ts2345(expected),
      };
      const shown = (diagnostics: TsDiagnostic[]) =>
        diagnostics.map((d) => ({ code: d.code, category: d.category, range: toRange(d), text: d.text }));
      // As VS Code asks (geterr, then the pushed semanticDiag event), and as a direct request.
      expect(shown(await server.geterrSemantic(file))).toEqual([squiggle]);
      expect(shown(await server.semanticDiagnostics(file))).toEqual([squiggle]);

      await server.replaceText(file, text, expected.fix(text));
      expect(await server.geterrSemantic(file)).toEqual([]);
      expect(await server.semanticDiagnostics(file)).toEqual([]);
    });
  }

  for (const file of cleanFiles) {
    it(`reports nothing for ${file}`, async () => {
      await server.open(fixturePath(file), fixtureText(file), fixtureRoot);
      expect(await server.geterrSemantic(fixturePath(file))).toEqual([]);
      expect(await server.semanticDiagnostics(fixturePath(file))).toEqual([]);
    });
  }
});
