import { describe, expect, it } from 'vitest';
import { current, move, park, parkAsync, parkTimeout, sleep, sleepAsync, spawn, Thread } from '@sendsync/runtime';

describe('park and unpark', { timeout: 20_000 }, () => {
  it('an unpark that comes first is kept: park returns at once', () => {
    const handle = spawn(() => {
      current().unpark();
      park(); // without the kept token this parks for ever (the test's timeout)
      return 'returned';
    });
    expect(handle.join()).toBe('returned');
  });

  it('tokens do not stack: two unparks, then the second park sleeps', () => {
    const handle = spawn(() => {
      const me = current();
      me.unpark();
      me.unpark();
      park(); // consumes the one token
      const start = performance.now();
      parkTimeout(60); // no token left: sleeps until the time limit
      return performance.now() - start;
    });
    expect(handle.join()).toBeGreaterThanOrEqual(50);
  });

  it('unpark from another thread wakes a parked thread (it really slept)', () => {
    const flag = new Int32Array(new SharedArrayBuffer(8));
    const parked = spawn(move(flag), (flag) => {
      let wakeups = 0;
      Atomics.store(flag, 1, 1); // about to park
      while (Atomics.load(flag, 0) === 0) {
        park();
        wakeups++;
      }
      return wakeups;
    });
    while (Atomics.load(flag, 1) === 0) {
      // Wait until the thread runs.
    }
    sleep(30);
    Atomics.store(flag, 0, 1);
    parked.thread().unpark();
    expect(parked.join()).toBeGreaterThanOrEqual(1);
  });

  it('a Thread handle crosses threads: a thread unparks the main thread', () => {
    const main = current();
    const helper = spawn(move(main), (main) => {
      main.unpark();
      return main.id();
    });
    expect(helper.join()).toBe(main.id());
    park(); // the token is there: returns at once
  });

  it('Thread handles are Thread instances in the receiving thread', () => {
    expect(spawn(move(current()), (thread) => thread instanceof Thread && thread.name()).join()).toBe('main');
  });

  it('a reused worker does not leak the previous park token', () => {
    for (let round = 0; round < 5; round++) {
      spawn(() => current().unpark()).join();
      const waited = spawn(() => {
        const start = performance.now();
        parkTimeout(20);
        return performance.now() - start;
      }).join();
      expect(waited).toBeGreaterThanOrEqual(15);
    }
  });

  it('unparking a thread that ended does nothing to the next one', () => {
    const ended = spawn(() => 1);
    ended.join();
    const stale = ended.thread();
    stale.unpark();
    const waited = spawn(() => {
      const start = performance.now();
      parkTimeout(20);
      return performance.now() - start;
    }).join();
    expect(waited).toBeGreaterThanOrEqual(15);
  });

  it('parkTimeout returns after about the time given', () => {
    const start = performance.now();
    parkTimeout(25);
    expect(performance.now() - start).toBeGreaterThanOrEqual(20);
  });

  it('parkTimeout refuses a duration that is not a finite number >= 0 (it never hangs)', () => {
    for (const bad of [Number.NaN, -1, Infinity, undefined, '10', null]) {
      expect(() => parkTimeout(bad as number)).toThrow(TypeError);
    }
    expect(() => parkTimeout(Number.NaN)).toThrow('parkTimeout takes a timeout in milliseconds, a finite number >= 0 (got NaN); to wait without a limit, use park()');
    parkTimeout(0);
  });

  it('sleep and sleepAsync refuse a duration that is not a finite number >= 0 (sleep(NaN) returned at once, sleep(Infinity) never)', async () => {
    for (const bad of [Number.NaN, -1, Infinity, undefined, '10', null]) {
      expect(() => sleep(bad as number)).toThrow(TypeError);
      await expect(sleepAsync(bad as number)).rejects.toThrow(TypeError);
    }
    expect(() => sleep(Number.NaN)).toThrow('sleep takes a timeout in milliseconds, a finite number >= 0 (got NaN); to wait without a limit, use park()');
    sleep(0);
    await sleepAsync(0);
  });

  it('parkAsync: an unpark from another thread wakes the awaiting thread', async () => {
    const me = current();
    const waker = spawn(move(me), (me) => {
      sleep(20);
      me.unpark();
    });
    await parkAsync();
    waker.join();
  });
});
