// @ts-check
/**
 * A fixed set of raw workers running ../workers/floor.js, for the floors.
 */
import { Worker } from 'node:worker_threads';
import { newControl, timeSample } from './control.js';

const FLOOR_WORKER = new URL('../workers/floor.js', import.meta.url);

/** Raw workers that echo numbers and run the floor jobs. */
export class RawTeam {
  /** @param {number} size */
  constructor(size) {
    /** @type {unknown} the first error a worker raised */
    this.error = undefined;
    /** @type {Worker[]} */
    this.workers = [];
    for (let i = 0; i < size; i++) {
      const worker = new Worker(FLOOR_WORKER);
      worker.on('error', (error) => {
        this.error ??= error;
      });
      this.workers.push(worker);
    }
  }

  /**
   * Runs job `name` on every worker (each doing `perThread` operations on the
   * shared `data`) and the main thread's `mainPart`; returns milliseconds.
   * @param {string} name
   * @param {Int32Array} data
   * @param {number} perThread
   * @param {() => void} [mainPart]
   */
  run(name, data, perThread, mainPart) {
    const ctl = newControl();
    for (const worker of this.workers) worker.postMessage({ job: name, ctl, data, n: perThread });
    return timeSample(ctl, this.workers.length, mainPart, () => this.error);
  }

  /** Terminates every worker. */
  async close() {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
