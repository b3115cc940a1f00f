import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { Cell } from '@sendsync/runtime/cell';
import { Arc, Mutex, OnceLock } from '@sendsync/runtime/sync';

// A lock's serialized data is stored either as plain structured-clone bytes or, when it holds
// values with a codec (a Cell), in their wire form; a flag beside the bytes says which, and must
// follow every write.
describe('lock storage', { timeout: 20_000 }, () => {
  it('each write records whether its bytes are a wire form: plain, then with a Cell, then plain again', () => {
    const mutex = new Arc(new Mutex<(string | Cell<number>)[]>(['plain']));
    const rounds = spawn(move(mutex.clone()), (mutex) => {
      const seen: string[] = [];
      for (let round = 0; round < 3; round++) {
        {
          using guard = mutex.value.lock();
          const value = guard.value;
          const first = value[0];
          seen.push(first instanceof Cell ? `cell:${first.get()}` : first);
          guard.value = round % 2 === 0 ? [new Cell(round)] : [`plain-${round}`];
        }
      }
      return seen;
    }).join();
    expect(rounds).toEqual(['plain', 'cell:0', 'plain-1']);
    using guard = mutex.value.lock();
    const last = guard.value[0];
    expect(last).toBeInstanceOf(Cell);
    expect((last as Cell<number>).get()).toBe(2);
  });

  it('a OnceLock set in a thread with a Cell inside reads back as a Cell', () => {
    const once = new OnceLock<{ cell: Cell<string> }>();
    // Moved in, and back out as the thread's result (a OnceLock<Cell> is Send, not Sync: no Arc may share it).
    const back = spawn(move(once), (once) => {
      once.set({ cell: new Cell('set in a thread') });
      return once;
    }).join();
    expect(back.get()?.cell.get()).toBe('set in a thread');
  });
});
