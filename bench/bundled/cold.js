// @ts-check
/**
 * The bundled group's cold rows: the first thread of a fresh process, timed
 * from the call to its answer (the process's start-up and imports are
 * outside the clock); run as it is, and as built by esbuild with the plugin.
 * Prints `{ ms }` as JSON.
 */
import { spawn } from '@sendsync/runtime';
import { double } from '../workers/small-module.js';

const start = performance.now();
const answer = spawn(() => double(1)).join();
const ms = performance.now() - start;
if (answer !== 2) throw new Error(`cold spawn answered ${answer}`);
console.log(JSON.stringify({ ms }));
