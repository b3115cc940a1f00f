/**
 * The settings VS Code's ESLint extension (dbaeumer.vscode-eslint) answers
 * `workspace/configuration` with, at their defaults, except `validate: 'on'`
 * (the extension's probe turns it on for TypeScript files once it sees a
 * parser; the "In your editor" section tells users to enable it explicitly).
 * The shape is the extension client's `ConfigurationSettings`; the server reads
 * every field below (see `eslint-language-server/eslint.js`, `resolveSettings`).
 */

import { fileUri } from './clients.js';

/** `workspace/configuration` settings for one workspace folder. */
export function vscodeEslintSettings(workspaceFolder: string): Record<string, unknown> {
  return {
    validate: 'on',
    packageManager: 'npm',
    useESLintClass: false,
    useFlatConfig: true,
    experimental: { useFlatConfig: false },
    codeActionOnSave: { mode: 'all' },
    format: false,
    quiet: false,
    onIgnoredFiles: 'off',
    options: {},
    rulesCustomizations: [],
    run: 'onType',
    problems: { shortenToSingleLine: false },
    nodePath: null,
    workingDirectory: { mode: 'location' },
    workspaceFolder: { name: 'fixture', uri: fileUri(workspaceFolder) },
    codeAction: {
      disableRuleComment: { enable: true, location: 'separateLine', commentStyle: 'line' },
      showDocumentation: { enable: true },
    },
  };
}
