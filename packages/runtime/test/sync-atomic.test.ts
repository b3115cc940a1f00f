import { describe, expect, it } from 'vitest';
import { AtomicBool, AtomicI32, AtomicI64, AtomicU32, AtomicU64, Ordering } from '@sendsync/runtime/sync';
import { move, spawn } from '@sendsync/runtime';
import { runAll } from './fixtures/sync/threads.js';

const tasks = new URL('./fixtures/sync/atomic-tasks.mjs', import.meta.url);
const { SeqCst, Relaxed, Acquire, Release, AcqRel } = Ordering;

describe('atomics', () => {
  it('AtomicI32: every operation, with wrapping arithmetic', () => {
    const a = new AtomicI32(5);
    expect(a.load(Acquire)).toBe(5);
    a.store(-3, Release);
    expect(a.swap(10, AcqRel)).toBe(-3);
    expect(a.compareExchange(10, 11, SeqCst, Relaxed)).toBe(10);
    expect(a.compareExchange(10, 12, SeqCst, Relaxed)).toBe(11); // failed: returns the actual value
    expect(a.compareExchangeWeak(11, 12, SeqCst, Relaxed)).toBe(11);
    expect(a.fetchAdd(3, Relaxed)).toBe(12);
    expect(a.fetchSub(20, Relaxed)).toBe(15);
    expect(a.load(SeqCst)).toBe(-5);
    a.store(0b1100, Relaxed);
    expect(a.fetchAnd(0b1010, Relaxed)).toBe(0b1100);
    expect(a.fetchOr(0b0001, Relaxed)).toBe(0b1000);
    expect(a.fetchXor(0b1111, Relaxed)).toBe(0b1001);
    expect(a.load(Relaxed)).toBe(0b0110);
    expect(a.fetchNand(0b0010, Relaxed)).toBe(0b0110);
    expect(a.load(Relaxed)).toBe(~0b0010);
    a.store(7, Relaxed);
    expect(a.fetchMax(3, Relaxed)).toBe(7);
    expect(a.fetchMax(9, Relaxed)).toBe(7);
    expect(a.fetchMin(-1, Relaxed)).toBe(9);
    expect(a.load(Relaxed)).toBe(-1);
    a.store(2 ** 31 - 1, Relaxed);
    expect(a.fetchAdd(1, Relaxed)).toBe(2 ** 31 - 1);
    expect(a.load(Relaxed)).toBe(-(2 ** 31));
    expect(a.fetchUpdate(SeqCst, SeqCst, (v) => (v < 0 ? v + 1 : undefined))).toEqual({ ok: true, value: -(2 ** 31) });
    a.store(1, Relaxed);
    expect(a.fetchUpdate(SeqCst, SeqCst, (v) => (v < 0 ? v + 1 : undefined))).toEqual({ ok: false, value: 1 });
    expect(a.intoInner()).toBe(1);
  });

  it('AtomicU32 is unsigned: wraps at 2^32 and compares unsigned', () => {
    const a = new AtomicU32(0);
    expect(a.fetchSub(1, Relaxed)).toBe(0);
    expect(a.load(Relaxed)).toBe(2 ** 32 - 1);
    expect(a.fetchMax(5, Relaxed)).toBe(2 ** 32 - 1);
    expect(a.load(Relaxed)).toBe(2 ** 32 - 1);
    expect(a.fetchMin(5, Relaxed)).toBe(2 ** 32 - 1);
    expect(a.load(Relaxed)).toBe(5);
  });

  it('AtomicI64 and AtomicU64 hold bigints and wrap at 64 bits', () => {
    const i = new AtomicI64(2n ** 63n - 1n);
    expect(i.fetchAdd(1n, Relaxed)).toBe(2n ** 63n - 1n);
    expect(i.load(Relaxed)).toBe(-(2n ** 63n));
    expect(i.fetchMax(0n, Relaxed)).toBe(-(2n ** 63n));
    expect(i.load(Relaxed)).toBe(0n);
    const u = new AtomicU64(0n);
    expect(u.fetchSub(1n, Relaxed)).toBe(0n);
    expect(u.load(Relaxed)).toBe(2n ** 64n - 1n);
    expect(u.compareExchange(2n ** 64n - 1n, 3n, SeqCst, SeqCst)).toBe(2n ** 64n - 1n);
    expect(u.fetchUpdate(SeqCst, SeqCst, (v) => v * 2n)).toEqual({ ok: true, value: 3n });
    expect(u.intoInner()).toBe(6n);
  });

  it('AtomicBool: logical operations', () => {
    const b = new AtomicBool(false);
    expect(b.fetchOr(true, Relaxed)).toBe(false);
    expect(b.fetchAnd(false, Relaxed)).toBe(true);
    expect(b.fetchXor(true, Relaxed)).toBe(false);
    expect(b.fetchNand(true, Relaxed)).toBe(true);
    expect(b.load(Relaxed)).toBe(false);
    expect(b.fetchNot(Relaxed)).toBe(false);
    expect(b.swap(false, Relaxed)).toBe(true);
    expect(b.compareExchange(false, true, SeqCst, SeqCst)).toBe(false);
    expect(b.load(Relaxed)).toBe(true);
    expect(b.fetchUpdate(SeqCst, SeqCst, () => undefined)).toEqual({ ok: false, value: true });
  });

  it('every atomic type crosses into a thread as itself, over the same cell', () => {
    const flag = new AtomicBool(false);
    const i32 = new AtomicI32(-1);
    const u32 = new AtomicU32(1);
    const i64 = new AtomicI64(-1n);
    const u64 = new AtomicU64(1n);
    // Moved in, and back out as the thread's result: the same cells both ways.
    const [classes, back] = spawn(move(flag, i32, u32, i64, u64), (flag, i32, u32, i64, u64) => {
      flag.store(true, Ordering.SeqCst);
      i32.fetchSub(1, Ordering.SeqCst);
      u32.fetchAdd(1, Ordering.SeqCst);
      i64.fetchSub(1n, Ordering.SeqCst);
      u64.fetchAdd(1n, Ordering.SeqCst);
      return [[flag, i32, u32, i64, u64].map((atomic) => atomic.constructor.name), [flag, i32, u32, i64, u64]] as const;
    }).join();
    expect(classes).toEqual(['AtomicBool', 'AtomicI32', 'AtomicU32', 'AtomicI64', 'AtomicU64']);
    const [flagBack, i32Back, u32Back, i64Back, u64Back] = back;
    expect([flagBack.load(SeqCst), i32Back.load(SeqCst), u32Back.load(SeqCst), i64Back.load(SeqCst), u64Back.load(SeqCst)]).toEqual([true, -2, 2, -2n, 2n]);
    // eslint-disable-next-line sendsync/no-use-after-move -- the test checks that the atomic left behind is refused
    expect(() => flag.load(SeqCst)).toThrow(/borrow of moved value: this `AtomicBool` was moved/);
  });

  it('lots and lots: 4 threads x 250,000 fetchAdds lose none', async () => {
    const counter = new AtomicU32(0);
    await runAll(tasks, 'addMany', 4, counter, 250_000);
    expect(counter.load(SeqCst)).toBe(1_000_000);
  }, 30_000);

  it('64-bit: 4 threads x 50,000 fetchAdds lose none', async () => {
    const counter = new AtomicI64(2n ** 40n);
    await runAll(tasks, 'addManyBig', 4, counter, 50_000);
    expect(counter.load(SeqCst)).toBe(2n ** 40n + 200_000n);
  }, 30_000);

  it('fetchMax from 4 threads ends at the largest value', async () => {
    const max = new AtomicI32(-1);
    await runAll(tasks, 'raiseMax', 4, max, 50_000);
    expect(max.load(SeqCst)).toBe(4 * 50_000 - 1);
  }, 30_000);
});
