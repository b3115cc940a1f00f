/**
 * The ESLint language server of VS Code's ESLint extension
 * (`vscode-eslint-language-server`, from `vscode-langservers-extracted`), driven
 * as the extension drives it: the client answers `workspace/configuration`
 * with the extension's settings, opens documents, pulls diagnostics
 * (`textDocument/diagnostic`: this server is a pull-diagnostics provider),
 * asks for code actions, executes the chosen one and applies the
 * `workspace/applyEdit` the server sends back.
 */

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyTextEdits, fileUri, LspClient, type LspDiagnostic, type TextEdit } from './support/clients.js';
import {
  fixturePath,
  fixtureRoot,
  fixtureText,
  lintOnlyCases,
  rangeOf,
  typeErrors,
  typeErrorCases,
} from './support/fixture.js';
import { SERVER_START_MS, SERVER_STOP_MS, TEST_TIMEOUT_MS } from './support/limits.js';
import { vscodeEslintSettings } from './support/vscode-eslint-settings.js';

const require = createRequire(import.meta.url);
const eslintServer = join(
  dirname(require.resolve('vscode-langservers-extracted/package.json')),
  'lib/eslint-language-server/eslintServer.js',
);

/** The extension's requests that mean it could not lint at all: none may arrive. */
const failureRequests = ['eslint/noLibrary', 'eslint/noConfig', 'eslint/probeFailed'];

interface OpenDocument {
  text: string;
  version: number;
}

interface CodeAction {
  title: string;
  kind?: string;
  command?: { command: string; arguments?: unknown[]; title: string };
}

interface WorkspaceEdit {
  documentChanges?: { textDocument: { uri: string; version: number | null }; edits: TextEdit[] }[];
  changes?: Record<string, TextEdit[]>;
}

describe('vscode-eslint-language-server (ESLint 10, @sendsync/eslint-plugin)', { timeout: TEST_TIMEOUT_MS }, () => {
  let server: LspClient;
  const documents = new Map<string, OpenDocument>();
  const failures: string[] = [];

  /** The editor's side of `workspace/applyEdit`: apply the edit to the open document. */
  function applyEdit(params: unknown): { applied: boolean } {
    const edit = (params as { edit: WorkspaceEdit }).edit;
    const changes = edit.documentChanges?.map((change) => [change.textDocument.uri, change.edits] as const) ?? [];
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) changes.push([uri, edits]);
    for (const [uri, edits] of changes) {
      const document = documents.get(uri);
      if (document === undefined) return { applied: false };
      documents.set(uri, { text: applyTextEdits(document.text, edits), version: document.version + 1 });
    }
    return { applied: changes.length > 0 };
  }

  function open(file: string): { uri: string; text: string } {
    const uri = fileUri(fixturePath(file));
    const text = fixtureText(file);
    documents.set(uri, { text, version: 1 });
    server.didOpen(uri, 'typescript', 1, text);
    return { uri, text };
  }

  /** Sends the document's current text to the server (VS Code does after applying an edit). */
  function sync(uri: string): string {
    const document = documents.get(uri)!;
    server.didChange(uri, document.version, document.text);
    return document.text;
  }

  beforeAll(async () => {
    const settings = vscodeEslintSettings(fixtureRoot);
    const fail = (method: string) => (params: unknown) => {
      failures.push(`${method} ${JSON.stringify(params)}`);
      return {};
    };
    server = await LspClient.start({
      label: 'vscode-eslint-language-server',
      args: [eslintServer, '--stdio'],
      root: fixtureRoot,
      handlers: {
        'workspace/configuration': (params) => (params as { items: unknown[] }).items.map(() => settings),
        'workspace/applyEdit': applyEdit,
        ...Object.fromEntries(failureRequests.map((method) => [method, fail(method)])),
      },
    });
  }, SERVER_START_MS);

  afterEach(() => {
    expect(failures, 'the server could not lint').toEqual([]);
  });

  afterAll(async () => {
    await server?.stop();
  }, SERVER_STOP_MS);

  for (const expected of typeErrorCases) {
    it(`reports ${expected.eslintRule} in ${expected.file} where tsc reports E0277, and clears it once fixed`, async () => {
      const { uri, text } = open(expected.file);

      const diagnostics = await server.pullDiagnostics(uri);
      expect(diagnostics, describeAll(diagnostics)).toHaveLength(1);
      const [squiggle] = diagnostics;
      expect(squiggle.code).toBe(expected.eslintRule);
      expect(squiggle.source).toBe('eslint');
      expect(squiggle.severity).toBe(1); // Error
      expect(squiggle.range).toEqual(rangeOf(text, expected.context, expected.culprit));
      expect(squiggle.message).toBe(expected.eslintMessage);

      documents.set(uri, { text: expected.fix(text), version: 2 });
      sync(uri);
      expect(await server.pullDiagnostics(uri)).toEqual([]);
      server.didClose(uri);
    });
  }

  for (const expected of lintOnlyCases) {
    it(`reports ${expected.rule} in ${expected.file}, which tsc accepts, and clears it once fixed`, async () => {
      const { uri, text } = open(expected.file);

      const diagnostics = await server.pullDiagnostics(uri);
      expect(diagnostics, describeAll(diagnostics)).toHaveLength(1);
      const [squiggle] = diagnostics;
      expect(squiggle.code).toBe(expected.rule);
      expect(squiggle.severity).toBe(1); // Error
      expect(squiggle.range).toEqual(rangeOf(text, expected.context, expected.culprit));
      expect(squiggle.message).toBe(expected.message);

      documents.set(uri, { text: expected.fix(text), version: 2 });
      sync(uri);
      expect(await server.pullDiagnostics(uri)).toEqual([]);
      server.didClose(uri);
    });
  }

  it('reports no-implicit-capture, whose suggestion, applied, yields code that passes ESLint and tsc', async () => {
    const file = 'src/implicit-capture.ts';
    const { uri, text } = open(file);

    const diagnostics = await server.pullDiagnostics(uri);
    expect(diagnostics, describeAll(diagnostics)).toHaveLength(1);
    const ours = diagnostics.filter((d) => d.code === 'sendsync/no-implicit-capture');
    expect(ours, describeAll(diagnostics)).toHaveLength(1);
    expect(ours[0].range).toEqual(rangeOf(text, '=> greeting.toUpperCase()', 'greeting'));
    expect(ours[0].message).toBe(
      '`greeting` is not an import of this module, so the thread that runs the closure passed to `spawn` cannot have it: move it to its own module and import it, or `move(...)` it if it is Send data',
    );

    const actions = await server.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: ours[0].range,
      context: { diagnostics: ours, triggerKind: 1 },
    });
    const suggestions = actions.filter((action) => action.command?.command === 'eslint.applySuggestion');
    expect(suggestions.map((action) => action.title)).toEqual([
      'Move `greeting` into the thread with `move(greeting)` (sendsync/no-implicit-capture)',
    ]);
    expect(suggestions[0].kind).toBe('quickfix');

    await server.request('workspace/executeCommand', suggestions[0].command);
    const edited = sync(uri);
    expect(edited).not.toBe(text);
    expect(edited).toContain("import { spawn, move } from '@sendsync/runtime';\n");
    expect(edited).toContain('spawn(move(greeting), (greeting) => greeting.toUpperCase())');

    expect(await server.pullDiagnostics(uri)).toEqual([]);
    expect(typeErrors(file, edited)).toEqual([]);
    server.didClose(uri);
  });

  it('reports nothing for code that uses the API correctly', async () => {
    const { uri } = open('src/moves-ok.ts');
    expect(await server.pullDiagnostics(uri)).toEqual([]);
    server.didClose(uri);
  });
});

function describeAll(diagnostics: LspDiagnostic[]): string {
  return `diagnostics: ${JSON.stringify(diagnostics.map((d) => [d.code, d.message]))}`;
}
