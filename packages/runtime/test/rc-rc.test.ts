import { describe, expect, it } from 'vitest';
import { Rc, TryUnwrapError, UseAfterDropError } from '@sendsync/runtime/rc';
import { codecFor } from '../dist/codec.js';

describe('Rc', () => {
  it('counts strong and weak owners', () => {
    const a = Rc.new([1, 2, 3]);
    expect(Rc.strongCount(a)).toBe(1);
    const b = a.clone();
    expect(Rc.ptrEq(a, b)).toBe(true);
    expect(b.value).toBe(a.value);
    expect(Rc.strongCount(a)).toBe(2);
    const w = Rc.downgrade(a);
    expect(Rc.weakCount(b)).toBe(1);
    expect(w.strongCount()).toBe(2);
    b.drop();
    b.drop(); // a second drop of the same handle does nothing
    expect(Rc.strongCount(a)).toBe(1);
    // eslint-disable-next-line sendsync/no-use-after-move -- the test checks that a dropped Rc is refused
    expect(() => b.value).toThrow(UseAfterDropError);
    w.drop();
    expect(Rc.weakCount(a)).toBe(0);
  });

  it('weak upgrade works while an owner lives and fails after', () => {
    let disposed = 0;
    const parent = new Rc({ name: 'root', [Symbol.dispose]: () => disposed++ });
    const link = Rc.downgrade(parent);
    const up = link.upgrade()!;
    expect(up.value.name).toBe('root');
    expect(Rc.strongCount(parent)).toBe(2);
    up.drop();
    {
      using scoped = parent.clone();
      expect(Rc.strongCount(scoped)).toBe(2);
    }
    expect(disposed).toBe(0);
    parent.drop();
    expect(disposed).toBe(1); // the value is dropped with its last owner
    expect(link.upgrade()).toBeUndefined();
    expect(link.strongCount()).toBe(0);
    expect(link.weakCount()).toBe(0);
  });

  it('tryUnwrap only for the last owner; getMut only for a unique one', () => {
    const a = new Rc({ n: 1 });
    const b = a.clone();
    const error = (() => {
      try {
        Rc.tryUnwrap(a);
      } catch (e) {
        return e;
      }
    })() as TryUnwrapError<Rc<{ n: number }>>;
    expect(error).toBeInstanceOf(TryUnwrapError);
    /* eslint-disable sendsync/no-use-after-move -- the failed tryUnwrap left `a` its owner (the error's `rc` is `a`); the test goes on with it */
    expect(error.rc).toBe(a);
    expect(Rc.getMut(a)).toBeUndefined();
    b.drop();
    const w = Rc.downgrade(a);
    expect(Rc.getMut(a)).toBeUndefined(); // a Weak also forbids get_mut
    w.drop();
    const access = Rc.getMut(a)!;
    access.value = { n: 2 };
    expect(a.value).toEqual({ n: 2 });
    const weak = Rc.downgrade(a);
    expect(Rc.tryUnwrap(a)).toEqual({ n: 2 });
    expect(() => a.value).toThrow(UseAfterDropError);
    /* eslint-enable sendsync/no-use-after-move */
    expect(weak.upgrade()).toBeUndefined();
  });

  it('has no codec: it can never cross a thread', () => {
    const a = new Rc(1);
    expect(codecFor(a)).toBeUndefined();
    expect(codecFor(Rc.downgrade(a))).toBeUndefined();
  });
});
