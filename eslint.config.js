// @ts-check
/**
 * The repository lints itself as its users would: typescript-eslint's
 * type-checked recommended rules and @sendsync/eslint-plugin's recommended
 * config (built by `npm run build`), with typed linting through the project
 * service. Plain JavaScript gets the untyped rules only.
 */
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import sendsync from '@sendsync/eslint-plugin';

export default defineConfig(
  {
    name: 'repository/ignores',
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/.scratch/**',
      '**/.generated/**',
      // deliberate mistakes, checked by their own tests
      '**/fixtures/**',
      'examples/compile-fail/**',
      'type-tests/ui/**',
      'editor-tests/fixture/**',
      'bench/results/**',
    ],
  },
  {
    name: 'repository/typescript',
    files: ['**/*.ts', '**/*.mts', '**/*.cts'],
    extends: [tseslint.configs.recommendedTypeChecked, sendsync.configs.recommended],
    languageOptions: {
      parserOptions: {
        // each package's tsconfig.json covers its sources and tests; the vitest configs are outside them
        projectService: { allowDefaultProject: ['*/vitest.config.ts', 'packages/*/vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // The design's `unsafe impl Send`: a class states its Send/Sync row by
      // merging an interface into it (`interface Mutex<T> extends Traits<...> {}`).
      '@typescript-eslint/no-unsafe-declaration-merging': 'off',
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'always' }],
      // a leading underscore marks a parameter kept for its position
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    name: 'repository/javascript',
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
);
