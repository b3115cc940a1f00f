import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { Arc, Mutex, UseAfterDropError, Weak } from '@sendsync/runtime/sync';
import { channel } from '@sendsync/runtime/sync/mpsc';
import { startThread } from './fixtures/sync/threads.js';

const tasks = new URL('./fixtures/sync/misc-tasks.mjs', import.meta.url);

describe('Arc', () => {
  it('smoke: clone and drop move the strong count; the last drop disposes the value', () => {
    let disposed = 0;
    const value = { n: 1, [Symbol.dispose]: () => void disposed++ };
    const a = new Arc(value);
    const b = a.clone();
    expect(a.strongCount()).toBe(2);
    expect(Arc.ptrEq(a, b)).toBe(true);
    // eslint-disable-next-line sendsync/no-use-after-move -- the test checks that the Arc holds this very object (one thread: nothing is copied)
    expect(b.value).toBe(value);
    a.drop();
    a.drop(); // twice does nothing
    expect(b.strongCount()).toBe(1);
    // eslint-disable-next-line sendsync/no-use-after-move -- the test checks that a dropped Arc is refused
    expect(() => a.value).toThrow(UseAfterDropError);
    // eslint-disable-next-line sendsync/no-use-after-move -- the same
    expect(() => a.clone()).toThrow(UseAfterDropError);
    expect(disposed).toBe(0);
    {
      using last = b;
      expect(last.value.n).toBe(1);
    }
    expect(disposed).toBe(1);
    expect(Arc.ptrEq(new Arc(1), new Arc(1))).toBe(false);
  });


  it('ptrEq says whether two handles share one value across threads and messages (each receipt is a buffer object of its own)', () => {
    const a = new Arc({ n: 1 });
    const other = new Arc({ n: 1 });
    // Back from a thread: the same value, through another SharedArrayBuffer object.
    const back = spawn(move(a.clone()), (arc) => arc).join();
    expect(Arc.ptrEq(a, back)).toBe(true);
    expect(Arc.ptrEq(other, back)).toBe(false);
    // Received twice in one thread, by two messages: each is a new buffer object, still one value.
    const [tx, rx] = channel<Arc<{ n: number }>>();
    spawn(move(a.clone(), other.clone(), tx), (mine, theirs, out) => {
      out.send(mine.clone());
      out.send(mine);
      out.send(theirs);
    }).join();
    const [one, two, three] = [rx.recv(), rx.recv(), rx.recv()];
    expect(Arc.ptrEq(one, two)).toBe(true);
    expect(Arc.ptrEq(one, a)).toBe(true);
    expect(Arc.ptrEq(one, three)).toBe(false);
    expect(Arc.ptrEq(three, other)).toBe(true);
    expect(a.strongCount()).toBe(4);
  });

  it('a dropped Arc, Rc or channel handle throws the same UseAfterDropError class, exported from each subpath', async () => {
    const rc = await import('@sendsync/runtime/rc');
    const mpsc = await import('@sendsync/runtime/sync/mpsc');
    expect(rc.UseAfterDropError).toBe(UseAfterDropError);
    expect(mpsc.UseAfterDropError).toBe(UseAfterDropError);
    const arc = new Arc(1);
    arc.drop();
    const local = new rc.Rc(1);
    local.drop();
    const [tx] = mpsc.channel<number>();
    tx.drop();
    // eslint-disable-next-line sendsync/no-use-after-move -- the test checks that dropped handles are refused, with one error class
    for (const use of [() => arc.value, () => local.value, () => tx.send(1)]) expect(use).toThrow(UseAfterDropError);
  });
  it('Weak: upgrade while a strong handle lives, undefined after', () => {
    const strong = new Arc([1, 2]);
    const weak = Arc.downgrade(strong);
    expect(weak).toBeInstanceOf(Weak);
    expect(strong.weakCount()).toBe(1);
    const upgraded = weak.upgrade()!;
    expect(upgraded.value).toEqual([1, 2]);
    expect(strong.strongCount()).toBe(2);
    upgraded.drop();
    strong.drop();
    expect(weak.upgrade()).toBeUndefined();
    weak.drop();
    expect(weak.strongCount()).toBe(0);
  });

  it('intoInner gives the value to the last handle only', () => {
    const a = new Arc('x');
    const b = a.clone();
    expect(Arc.intoInner(a)).toBeUndefined();
    expect(Arc.intoInner(b)).toBe('x');
  });

  it('the count is real across threads: 4 threads x 1,000 clones and drops leave exactly the original', async () => {
    const shared = new Arc(new Mutex(0));
    const moved = [shared.clone(), shared.clone(), shared.clone(), shared.clone()];
    expect(shared.strongCount()).toBe(5);
    const threads = moved.map((arc, index) => startThread(tasks, 'cloneAndDrop', index, arc, 1000));
    for (const thread of threads) expect((await thread.outcome).ok).toBe(true);
    expect(shared.strongCount()).toBe(1);
    expect(shared.value.intoInner()).toBe(4); // the Mutex inside is shared, not copied
  }, 30_000);

  it('a Weak moved to another thread upgrades only while the value lives', async () => {
    const strong = new Arc({ label: 'data' });
    const weak = Arc.downgrade(strong);
    expect((await startThread(tasks, 'upgradeWeak', weak).outcome).result).toEqual({ label: 'data' });
    strong.drop();
    expect((await startThread(tasks, 'upgradeWeak', weak).outcome).result).toBeNull();
  }, 30_000);
});
