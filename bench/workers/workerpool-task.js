// @ts-check
/** The worker script of the workerpool anchor: one trivial method, `echo`. */
import workerpool from 'workerpool';

workerpool.worker({
  /** @param {unknown} value */
  echo: (value) => value,
});
