/**
 * The protocol clients' own guarantees, which the server tests rely on: a
 * server that never answers makes a request fail in bounded time rather than
 * hang, and stopping a server also ends the processes it started (as
 * TypeScript 7's `tsc` wrapper starts the native compiler).
 */

import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { LspClient, ServerTimeoutError } from './support/clients.js';
import { fixtureRoot } from './support/fixture.js';

/** A "server" that starts a child of its own, reports the child's pid on stderr, and never answers. */
const silentServerWithChild = [
  '-e',
  `const { spawn } = require('node:child_process');
   const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
   process.stderr.write('child ' + child.pid + '\\n');
   process.stdin.resume();
   setInterval(() => {}, 1000);`,
];

/** Whether `pid` still runs: a zombie (ended, waiting for its new parent to reap it) does not. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return !existsSync('/proc/self/stat'); // no procfs: trust kill(pid, 0)
  }
}

describe('protocol clients', { timeout: 30_000 }, () => {
  it('fails a handshake that gets no answer in bounded time, and ends the server and its children', async () => {
    let stderr = '';
    const started = Date.now();
    const error = await LspClient.start({
      label: 'silent server',
      args: silentServerWithChild,
      root: fixtureRoot,
      timeoutMs: 1500,
    }).catch((caught: unknown) => caught);
    const elapsed = Date.now() - started;

    expect(error).toBeInstanceOf(ServerTimeoutError);
    stderr = (error as Error).message;
    expect(stderr).toContain('timed out waiting for initialize response');
    expect(elapsed).toBeLessThan(15_000); // 1.5 s for initialize, bounded waits for shutdown and exit

    const childPid = Number(/child (\d+)/.exec(stderr)?.[1]);
    expect(childPid).toBeGreaterThan(0);
    // The group was sent SIGKILL by stop(); allow the kernel a moment to deliver it.
    for (let i = 0; i < 50 && isAlive(childPid); i++) await delay(20);
    expect(isAlive(childPid)).toBe(false);
  });
});
