import { describe, expect, it } from 'vitest';
import { borrow, move, scope, scopeAsync } from '@sendsync/runtime';

describe('scope', { timeout: 20_000 }, () => {
  it('joins every thread at the end of the scope', () => {
    const done = new Int32Array(new SharedArrayBuffer(16));
    scope((s) => {
      for (let index = 0; index < 4; index++) {
        s.spawn(move(done, index), (done, index) => {
          Atomics.wait(done, index, 0, 10);
          Atomics.store(done, index, 1);
        });
      }
    });
    expect(Array.from(done)).toEqual([1, 1, 1, 1]);
  });

  it('returns the body result, and handles can be joined by hand', () => {
    const numbers = [1, 2, 3];
    const result = scope((s) => {
      const length = s.spawn(borrow(numbers), (numbers) => numbers.length);
      const sum = s.spawn(borrow(numbers), move(10), (numbers, base) => numbers.reduce((a, b) => a + b, base));
      return [length.join(), sum.join()];
    });
    expect(result).toEqual([3, 16]);
  });

  it('borrowed values are read-only in the thread, and the caller keeps them', () => {
    const config = { list: [1, 2], nested: { deep: true }, map: new Map([['a', 1]]) };
    const outcomes = scope((s) =>
      s
        .spawn(borrow(config), (config) => {
          const attempts: string[] = [];
          const tries: (() => void)[] = [
            () => (config as unknown as { list: number[] }).list.push(3),
            () => ((config.nested as { deep: boolean }).deep = false),
            () => (config.map as Map<string, number>).set('b', 2),
          ];
          for (const attempt of tries) {
            try {
              attempt();
              attempts.push('mutated');
            } catch (error) {
              attempts.push((error as Error).constructor.name);
            }
          }
          return attempts;
        })
        .join(),
    );
    expect(outcomes).toEqual(['TypeError', 'TypeError', 'TypeError']);
    expect(config.list).toEqual([1, 2]);
  });

  it('scopeAsync awaits every thread', async () => {
    const result = await scopeAsync(async (s) => {
      const a = s.spawn(() => 1);
      s.spawn(() => 2);
      return a.joinAsync();
    });
    expect(result).toBe(1);
  });
});
