// @ts-check
/**
 * A fixed set of raw workers running ../workers/floor.js, for the floors.
 */
import { MessageChannel, Worker } from 'node:worker_threads';
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
   * shared `data`) and the main thread's `mainPart` (given the sample's
   * control block); returns milliseconds.
   * @param {string} name
   * @param {Int32Array} data
   * @param {number} perThread
   * @param {(ctl: Int32Array) => void} [mainPart]
   */
  run(name, data, perThread, mainPart) {
    const ctl = newControl();
    for (const worker of this.workers) worker.postMessage({ job: name, ctl, data, n: perThread });
    return timeSample(ctl, this.workers.length, mainPart && (() => mainPart(ctl)), () => this.error);
  }

  /**
   * Hands the first worker one end of a fresh MessageChannel, on which it
   * counts `n` messages; the clock runs while the main thread posts them
   * (`send`) and until the worker has received them all. Returns milliseconds.
   * @param {number} n
   * @param {(port: import('node:worker_threads').MessagePort) => void} send
   */
  async sink(n, send) {
    const ctl = newControl();
    const { port1, port2 } = new MessageChannel();
    this.workers[0].postMessage({ job: 'sink', ctl, channel: port2, n }, [port2]);
    try {
      return await timeSample(ctl, 1, () => send(port1), () => this.error);
    } finally {
      port1.close();
    }
  }

  /** Terminates every worker. */
  async close() {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
