// @ts-check
/**
 * Loads the `multithreading` package (an anchor). On Node 20 it needs
 * `navigator.hardwareConcurrency` and `Promise.withResolvers` (Node 21 and 22
 * features) before it is imported; they are supplied here, the way its users
 * on Node 20 have to.
 */
import os from 'node:os';

if (!('navigator' in globalThis)) {
  Object.defineProperty(globalThis, 'navigator', { value: { hardwareConcurrency: os.availableParallelism() }, configurable: true });
}
if (!('withResolvers' in Promise)) {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    /** @this {PromiseConstructor} */
    value: function withResolvers() {
      /** @type {unknown} */ let resolve;
      /** @type {unknown} */ let reject;
      const promise = new this((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

/** The multithreading module, loaded after the polyfills. */
export const mt = await import('multithreading');
