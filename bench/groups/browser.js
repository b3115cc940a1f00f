// @ts-check
/**
 * The runtime in headless Chromium (the browser tests' harness: Debian's
 * chromium, a page served with COOP/COEP loading the built dist/ through an
 * import map). Each row's run calls an export of
 * browser-tests/pages/bench.js, which times its n operations in the page;
 * each of ours sits beside a floor measured in the same page (a raw module
 * worker's postMessage, or raw Atomics).
 */
import { launch, open, serve } from '@sendsync/browser-tests/harness';

/** @typedef {import('../lib/measure.js').Row} Row */

/** @returns {Promise<import('../lib/measure.js').Group>} */
export default async function browser() {
  const server = await serve();
  const chromium = await launch();
  const { call } = await open(chromium, server.urlOf('/browser-tests/pages/bench.js'));

  /**
   * A row whose run is the page's export `name`.
   * @param {Omit<Row, 'run'>} row
   * @param {string} name
   * @returns {Row}
   */
  const inPage = (row, name) => ({ ...row, run: async (n) => /** @type {number} */ (await call(name, n)) });

  return {
    id: 'browser',
    title: 'In headless Chromium: the main thread of a cross-origin-isolated page, threads on module workers',
    rows: [
      // First in the list, so torn down last (measure.js tears down in reverse): it closes the page's worker, the browser and the server.
      {
        ...inPage({ id: 'floor.browser-postmessage-roundtrip', label: 'postMessage round trip to a raw module worker', role: 'floor', op: 'browser-spawn', kind: 'latency' }, 'postMessageRoundTrips'),
        async teardown() {
          await call('close');
          await chromium.close();
          await server.close();
        },
      },
      inPage({ id: 'ours.browser-spawn-join-async', label: 'sendsync await spawn(fn).joinAsync(), warm', role: 'ours', op: 'browser-spawn', floor: 'floor.browser-postmessage-roundtrip', kind: 'latency' }, 'spawnJoinAsync'),
      inPage({ id: 'floor.browser-cas-store', label: 'Atomics.compareExchange + Atomics.store', role: 'floor', op: 'browser-lock', kind: 'latency' }, 'casStore'),
      inPage({ id: 'ours.browser-mutex-lock', label: 'sendsync Mutex lock() + guard[Symbol.dispose](), uncontended', role: 'ours', op: 'browser-lock', floor: 'floor.browser-cas-store', kind: 'latency' }, 'mutexLock'),
      inPage({ id: 'ours.browser-mutex-using', label: 'the same in a native `using` block', role: 'ours', op: 'browser-lock', floor: 'floor.browser-cas-store', kind: 'latency' }, 'mutexUsing'),
      inPage({ id: 'ours.browser-mutex-lock-async', label: 'sendsync Mutex await lockAsync() + guard[Symbol.dispose](), uncontended', role: 'ours', op: 'browser-lock', floor: 'floor.browser-cas-store', kind: 'latency' }, 'mutexLockAsync'),
      inPage({ id: 'floor.browser-postmessage-stream', label: 'postMessage stream of numbers → raw module worker', role: 'floor', op: 'browser-channel', kind: 'throughput', minN: 1000, maxN: 1_000_000 }, 'postMessageStream'),
      inPage({ id: 'ours.browser-channel', label: 'sendsync channel() send → recv in a thread (one warm spawn per sample)', role: 'ours', op: 'browser-channel', floor: 'floor.browser-postmessage-stream', kind: 'throughput', minN: 1000, maxN: 1_000_000 }, 'channelStream'),
    ],
  };
}
