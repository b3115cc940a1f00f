// @ts-check
/** The task of the piscina and tinypool anchors in the real-work group: one chunk. */
import { runChunk } from '../lib/kernels.js';

/** @param {{ job: import('../lib/kernels.js').JobName, shape: import('../lib/kernels.js').ShapeName, input: SharedArrayBuffer, index: number }} task */
export default function chunk(task) {
  return runChunk(task.job, task.shape, task.input, task.index);
}
