// clippy's await_holding_lock: a guard held across an `await`.
import { Mutex } from '@sendsync/runtime/sync';

const state = new Mutex({ count: 0 });

export async function bump(save: (count: number) => Promise<void>): Promise<void> {
  using guard = state.lock();
  guard.value.count += 1;
  await save(guard.value.count);
}
