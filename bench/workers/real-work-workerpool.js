// @ts-check
/** The worker script of the workerpool anchor in the real-work group: one method, `chunk`. */
import workerpool from 'workerpool';
import { runChunk } from '../lib/kernels.js';

workerpool.worker({ chunk: runChunk });
