// @ts-check
/**
 * One lint of the corpus, in a process of its own (so that no program cache
 * of typescript-eslint carries over from one run to the next):
 *
 *   node lint/lint-once.js <base|sendsync> <corpus-dir>
 *
 * `base` is typescript-eslint's type-checked recommended config; `sendsync`
 * adds @sendsync/eslint-plugin's recommended config. Prints
 * `{ ms, files, problems }` as JSON: the time of `lintFiles` alone (not the
 * start-up of Node and ESLint, which both configs pay alike).
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const [which, dir] = process.argv.slice(2);

/** @type {import('eslint').Linter.Config[]} */
const config = [
  .../** @type {import('eslint').Linter.Config[]} */ (tseslint.configs.recommendedTypeChecked),
  { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: dir } } },
];
if (which === 'sendsync') {
  const plugin = /** @type {{ default: { configs: { recommended: import('eslint').Linter.Config | import('eslint').Linter.Config[] } } }} */ (
    /** @type {unknown} */ (await import('@sendsync/eslint-plugin'))
  );
  const recommended = plugin.default.configs.recommended;
  config.push(...(Array.isArray(recommended) ? recommended : [recommended]));
}

const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config, cache: false });
const start = performance.now();
const results = await eslint.lintFiles(['src/**/*.ts']);
const ms = performance.now() - start;
const problems = results.reduce((sum, result) => sum + result.errorCount + result.warningCount, 0);
const fatal = results.filter((result) => result.fatalErrorCount > 0).map((result) => result.messages[0]?.message);
if (fatal.length > 0) throw new Error(`lint could not parse the corpus: ${fatal[0]}`);
process.stdout.write(JSON.stringify({ ms, files: results.length, problems }) + '\n');
