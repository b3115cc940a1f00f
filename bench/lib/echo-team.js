// @ts-check
/**
 * Raw workers that echo numbers over postMessage: the floor of a task round
 * trip and of task throughput. One persistent listener per worker (a listener
 * per call would make throughput fall quadratically).
 */
import { RawTeam } from './raw-team.js';

/** Echo workers with sequential and pipelined timing. */
export class EchoTeam {
  /** @param {number} size */
  constructor(size) {
    this.team = new RawTeam(size);
    /** @type {() => void} */
    this.onReply = () => {};
    for (const worker of this.team.workers) worker.on('message', () => this.onReply());
  }

  /** n round trips to the first worker, one after another; resolves with milliseconds. @param {number} n */
  async sequential(n) {
    const worker = this.team.workers[0];
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      await new Promise((resolve) => {
        this.onReply = /** @type {() => void} */ (resolve);
        worker.postMessage(i);
      });
    }
    return performance.now() - start;
  }

  /** n messages spread over all workers at once; resolves with milliseconds when all came back. @param {number} n */
  pipelined(n) {
    const workers = this.team.workers;
    return new Promise((resolve) => {
      let left = n;
      const start = performance.now();
      this.onReply = () => {
        if (--left === 0) resolve(performance.now() - start);
      };
      for (let i = 0; i < n; i++) workers[i % workers.length].postMessage(i);
    });
  }

  /** Terminates every worker. */
  close() {
    return this.team.close();
  }
}
