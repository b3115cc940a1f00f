/**
 * The runtime in headless Chromium: its built dist/ loaded as native ES
 * modules through the import map, on a page served with COOP/COEP, threads
 * on module workers. Each case runs one export of pages/runtime.js.
 */
import { describe, expect, it } from 'vitest';
import { open } from '../lib/harness.js';
import { pageSession } from './page-session.js';

const session = pageSession('/browser-tests/pages/runtime.js');
const { call } = session;

describe('the runtime in a browser', () => {
  it('spawns threads and joins them with joinAsync', async () => {
    expect(await call('spawnJoin', 50)).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
  });

  it('counts exactly under a Mutex contended by three threads (lock) and the page (lockAsync)', async () => {
    for (let round = 0; round < 5; round++) expect(await call('mutexContention', 3, 2_000)).toBe(4 * 2_000);
  });

  it('passes every message through a channel pipeline to recvAsync, in order', async () => {
    const count = 10_000;
    const sum = Array.from({ length: count }, (_, i) => i * i).reduce((a, b) => a + b, 0);
    for (let round = 0; round < 3; round++) expect(await call('pipeline', count)).toEqual({ received: count, sum, ordered: true });
  });

  it('passes a long string and arrays of text lines (ASCII and not) through channels and back intact', async () => {
    expect(await call('textRoundTrip')).toEqual({ long: true, ascii: true, other: true });
  });

  it('delivers 100,000 messages and a 1 MB one to a receiver blocked in a worker, and a reply on a Sender sent inside a message', async () => {
    const count = 100_000;
    expect(await call('blockedReceiver', count, 1 << 20)).toEqual({
      sum: (count * (count - 1)) / 2,
      ordered: true,
      intact: true,
      reply: `${1 << 20} bytes`,
    });
  });

  it("rejects joinAsync with PanicError carrying the thread's error", async () => {
    expect(await call('panic')).toEqual({
      rejected: true,
      isPanicError: true,
      message: 'thread panicked',
      causeName: 'RangeError',
      causeIsRangeError: true,
      causeMessage: 'the thread gave up',
    });
  });

  it('reports a thread whose worker closed itself, and runs the threads after it', async () => {
    expect(await call('workerCloses')).toEqual({ rejected: true, isPanicError: true, causeIsThreadExitError: true, after: [0, 2, 4, 6] });
  });

  it('spawns from the page without waiting for a busy worker: the page runs its callbacks while 50 threads start', async () => {
    // Every thread waits for the page's ticks, so none ends while the page spawns: a spawn that waited for a busy
    // worker would spin, reading the clock to bound its wait (2 to 20 ms each, the page's callbacks held up).
    expect(await call('spawnWithoutWaiting', 50)).toEqual({ results: Array.from({ length: 50 }, (_, i) => i), clockReads: 0, ticked: true });
  });

  it('throws WouldBlockError naming the async twin for a blocking call on the main thread', async () => {
    const { messages, joined } = (await call('blockingOnMainThread')) as { messages: Record<string, string>; joined: unknown };
    // Each is `<name>: <message>`, with a note appended when the error is not a WouldBlockError instance.
    expect(messages.join).toMatch(/^WouldBlockError: .*joinAsync/);
    expect(messages.lock).toMatch(/^WouldBlockError: .*lockAsync/);
    expect(messages.recv).toMatch(/^WouldBlockError: .*recvAsync/);
    expect(Object.values(messages).join('\n')).not.toContain('not a WouldBlockError');
    expect(joined).toBe(42);
  });
});

describe('a page without COOP/COEP', () => {
  it('gets an error that names the two headers to send', async () => {
    const { page, call: callPage } = await open(session.browser(), session.server().urlOf('/browser-tests/pages/not-isolated.js', { isolated: false }));
    try {
      const outcome = (await callPage('useRuntime')) as { threw: boolean; message?: string };
      expect(outcome.threw).toBe(true);
      expect(outcome.message).toContain('Cross-Origin-Opener-Policy: same-origin');
      expect(outcome.message).toContain('Cross-Origin-Embedder-Policy: require-corp');
    } finally {
      await page.close();
    }
  });
});
