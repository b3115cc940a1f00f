/**
 * Time bounds of the language-server tests, stated in the test files
 * themselves so that they hold whichever vitest configuration runs them. They
 * are generous because two shared cores may be busy with other test runs; a
 * healthy run takes a small fraction of each.
 */

/** Starting a server and its first answer (ESLint's first lint builds a TypeScript program). */
export const SERVER_START_MS = 90_000;

/** `shutdown`, `exit` and, failing those, killing the process group. */
export const SERVER_STOP_MS = 30_000;

/** One test: open, diagnose, edit, diagnose again. */
export const TEST_TIMEOUT_MS = 60_000;
