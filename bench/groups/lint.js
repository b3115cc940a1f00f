// @ts-check
/**
 * What our lint rules cost: a generated corpus (lint/corpus.js: spawn sites,
 * captures, guards, channels) linted with typescript-eslint's type-checked
 * recommended config, with and without @sendsync/eslint-plugin's recommended
 * config, each run in a fresh process, alternating.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeCorpus } from '../lint/corpus.js';

const run = promisify(execFile);
const LINT_ONCE = fileURLToPath(new URL('../lint/lint-once.js', import.meta.url));

/**
 * @param {'base' | 'sendsync'} which
 * @param {string} dir
 * @returns {Promise<{ ms: number, files: number, problems: number }>}
 */
async function lintOnce(which, dir) {
  const { stdout } = await run(process.execPath, [LINT_ONCE, which, dir], { maxBuffer: 16 * 1024 * 1024, timeout: 180_000 });
  return JSON.parse(stdout);
}

/** @param {import('../lib/measure.js').Mode} mode @returns {import('../lib/measure.js').Group} */
export default function lint(mode) {
  const files = mode.quick ? 10 : 200;
  /** @type {ReturnType<typeof writeCorpus> | undefined} */
  let corpus;
  /** @type {Record<string, { files: number, problems: number }>} */
  const last = {};

  /**
   * @param {'base' | 'sendsync'} which
   * @param {string} id
   * @param {string} label
   * @param {Partial<import('../lib/measure.js').Row>} more
   * @returns {import('../lib/measure.js').Row}
   */
  const row = (which, id, label, more) => ({
    id,
    label,
    role: 'floor',
    op: 'lint',
    kind: 'cost',
    n: 1,
    warmup: false,
    // A run is a fresh ESLint process over the corpus, which lintOnce bounds at 180 s.
    limitMs: 200_000,
    async run() {
      const { dir, mistakes } = /** @type {ReturnType<typeof writeCorpus>} */ (corpus);
      const { ms, ...facts } = await lintOnce(which, dir);
      // The corpus is clean TypeScript with one mistake in ten files, which only our rules see:
      // anything else means the corpus no longer matches the API, and the timing would be of errors.
      const expected = which === 'base' ? 0 : mistakes;
      if (facts.files !== files || facts.problems !== expected) {
        throw new Error(`lint (${which}): ${facts.problems} problems in ${facts.files} files, expected ${expected} in ${files}`);
      }
      last[id] = facts;
      return ms;
    },
    extra: () => last[id],
    ...more,
  });

  return {
    id: 'lint',
    title: `Lint cost: ${files} generated files, typescript-eslint recommendedTypeChecked (time per run)`,
    rounds: mode.quick ? 1 : 3,
    rows: [
      row('base', 'floor.lint-base', 'recommendedTypeChecked', {
        setup() {
          corpus = writeCorpus(files);
        },
        teardown: () => corpus?.remove(),
      }),
      row('sendsync', 'ours.lint-sendsync', 'recommendedTypeChecked + sendsync.configs.recommended', {
        role: 'ours',
        floor: 'floor.lint-base',
        budget: { of: 'vsFloor', max: 1.1, text: '≤ 1.1× floor' },
      }),
    ],
  };
}
