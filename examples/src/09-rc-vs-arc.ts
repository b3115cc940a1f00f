/**
 * Rc vs Arc: the same shared ownership, without and with atomic counting.
 *
 * `Rc` is cheaper and stays on one thread; `Arc` may cross. Sending an `Rc` to
 * another thread is a compile error (see examples/compile-fail/rc-sent-to-thread.ts):
 * "`Rc<number[]>` cannot be sent between threads safely". Smuggled past the
 * compiler with a cast, it is still refused at run time, before any thread starts.
 */
import { move, spawn } from '@sendsync/runtime';
import { Rc } from '@sendsync/runtime/rc';
import { Arc } from '@sendsync/runtime/sync';

const rc = new Rc([1, 2, 3]);
const rc2 = rc.clone();
console.log(`Rc on one thread: strong count ${Rc.strongCount(rc)}`);
rc2.drop();

const arc = new Arc([1, 2, 3]);
const total = spawn(move(arc.clone()), (arc) => arc.value.reduce((a, b) => a + b, 0)).join();
console.log(`Arc crossed to a thread, which summed it: ${total}`);

try {
  const smuggled = rc as unknown as number[]; // what a wrong cast, or plain JavaScript, lets through
  spawn(move(smuggled), (numbers) => numbers.length);
} catch (error) {
  console.log(`refused at run time: ${(error as Error).name}: ${(error as Error).message}`);
}
