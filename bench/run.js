#!/usr/bin/env node
// @ts-check
/**
 * `npm run bench`: sendsync against the floor (raw Atomics, postMessage,
 * Worker) and against the libraries users would pick, in one run.
 *
 *   npm run bench               full run (a few minutes), writes results/<date>.json and .md
 *   npm run bench -- --quick    smoke run (under a minute): every row must produce a finite number
 *   npm run bench -- --only=spawn-warm,handoff   some groups only (results/<date>.only-<groups>.json and .md)
 *
 * Each group runs in a child process of its own (lib/group-process.js), one
 * after another; inside a group the rows are sampled in interleaved rounds.
 * A row that throws, loses messages or runs past its limit is recorded as
 * failed (lib/measure.js) and the group goes on; an anchor's failure is its
 * result, a failure of ours or of a floor fails the run. A group whose
 * process fails, or does not exit by itself within a few seconds of
 * reporting (a worker left running), fails the run; the next group still runs.
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { analyze, toMarkdown } from './lib/report.js';

/** The groups, in the order they run. */
const GROUPS = ['uncontended', 'lock-data', 'codec', 'contended', 'handoff', 'messages', 'spawn-warm', 'spawn-throughput', 'spawn-cold', 'bundled', 'build', 'real-work', 'memory', 'browser', 'types', 'lint'];

/**
 * How long a group may take, and how long its process may linger after
 * reporting. The group bound only catches a process that hangs (each row's
 * runs have their own bound, lib/measure.js): it is far above a group's time
 * on a loaded machine (quick types and lint take about 60 s each with both
 * cores busy).
 */
const LIMITS = { quick: { groupMs: 600_000, exitMs: 5_000 }, full: { groupMs: 1_800_000, exitMs: 5_000 } };

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const groups = only ?? GROUPS;
const limits = quick ? LIMITS.quick : LIMITS.full;

/**
 * Runs one group's process; resolves with its title and rows.
 * @param {string} group
 * @returns {Promise<{ title: string, rows: import('./lib/measure.js').RowResult[] }>}
 */
function runGroup(group) {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./lib/group-process.js', import.meta.url), [group, quick ? 'quick' : 'full'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    /** @type {{ title: string, rows: import('./lib/measure.js').RowResult[] } | undefined} */
    let result;
    /** @type {NodeJS.Timeout | undefined} */
    let lingering;
    const overall = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`group ${group} took longer than ${limits.groupMs} ms`));
    }, limits.groupMs);
    child.on('message', (message) => {
      result = /** @type {typeof result} */ (message);
      lingering = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`group ${group} did not exit within ${limits.exitMs} ms of reporting: a worker or handle was left open`));
      }, limits.exitMs);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(overall);
      clearTimeout(lingering);
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`group ${group} failed (exit ${code ?? signal})`));
    });
  });
}

const started = Date.now();
const loadBefore = os.loadavg()[0];
/** @type {(import('./lib/measure.js').RowResult & { title: string })[]} */
const rows = [];
/** @type {string[]} */
const failures = [];
/** @type {Record<string, number>} */
const groupSeconds = {};
for (const group of groups) {
  const groupStarted = Date.now();
  try {
    const { title, rows: groupRows } = await runGroup(group);
    for (const row of groupRows) rows.push({ ...row, title });
  } catch (error) {
    failures.push(String(/** @type {Error} */ (error).message));
    process.stderr.write(`bench: ${/** @type {Error} */ (error).message}\n`);
  }
  groupSeconds[group] = Math.round((Date.now() - groupStarted) / 100) / 10;
}

const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  nproc: os.availableParallelism(),
  node: process.version,
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  loadAverage: `${loadBefore.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after`,
};
const report = analyze(rows);
const markdown = toMarkdown(report, machine, failures);
process.stdout.write('\n' + markdown);

for (const row of report) {
  // An anchor's failure is the anchor's result (a library that lost messages under load), recorded in its row;
  // a failed row of ours or a floor is a bug here.
  if (row.failure !== undefined) {
    if (row.role !== 'anchor') failures.push(`row ${row.id} failed: ${row.failure}`);
    continue;
  }
  const numbers = [row.median, row.p25, row.p75, row.vsFloor ?? 1, row.vsBestAnchor ?? 1];
  if (!numbers.every((value) => Number.isFinite(value) && value > 0)) failures.push(`row ${row.id} produced no finite number`);
}

const date = new Date().toISOString().slice(0, 16).replace(':', '-') + 'Z';
const resultsDir = new URL('./results/', import.meta.url);
mkdirSync(resultsDir, { recursive: true });
// A run of some groups only is named by them: a full run's results keep the minute's plain name.
const base = quick ? `${date}.quick.tmp` : only === undefined ? date : `${date}.only-${only.join('+')}`;
const json = { date: new Date().toISOString(), mode: quick ? 'quick' : 'full', machine, durationMs: Date.now() - started, groupSeconds, failures, rows: report };
writeFileSync(new URL(`${base}.json`, resultsDir), JSON.stringify(json, null, 2) + '\n');
if (!quick) writeFileSync(new URL(`${base}.md`, resultsDir), markdown);
process.stdout.write(`\nresults: bench/results/${base}.json (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);

if (failures.length > 0) {
  process.stderr.write(`bench: ${failures.length} failure(s):\n  ${failures.join('\n  ')}\n`);
  process.exitCode = 1;
}
