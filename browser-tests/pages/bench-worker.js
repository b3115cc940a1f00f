// @ts-check
/**
 * bench.js's raw worker: echoes each number back (round trips), or, told to
 * expect n numbers, sums them and posts the sum once it has all n.
 */
let expected = 0;
let sum = 0;
self.onmessage = (/** @type {MessageEvent<number | { expect: number }>} */ event) => {
  const message = event.data;
  if (typeof message === 'object') {
    expected = message.expect;
    sum = 0;
  } else if (expected === 0) {
    self.postMessage(message);
  } else {
    sum += message;
    if (--expected === 0) self.postMessage(sum);
  }
};
