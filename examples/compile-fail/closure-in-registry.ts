// E0505: closures kept under an object's keys, or in an array of steps, borrow what they read; run after that value moved, they use a moved value.
import { move, spawn } from '@sendsync/runtime';
import { channel } from '@sendsync/runtime/sync/mpsc';

const [tx, rx] = channel<string>();
const handlers: Record<string, (text: string) => void> = {};
handlers['log'] = (text) => tx.send(text);
const steps = [(): void => tx.send('step 1'), (): void => console.log('step 2')];
handlers['log']('starting');
spawn(move(tx), (tx) => tx.send('from the thread')).join();
for (const step of steps) step(); // `tx` went to the thread: UseAfterDropError at run time
handlers['log']('done'); // the same
console.log([...rx]);
