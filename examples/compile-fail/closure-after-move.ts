// E0505: a closure made before a move borrows the value; calling it (or handing it on) after the move uses a moved value.
import { move, spawn } from '@sendsync/runtime';
import { channel } from '@sendsync/runtime/sync/mpsc';

const [tx, rx] = channel<string>();
const report = (line: string): void => tx.send(line);
report('starting');
spawn(move(tx), (tx) => tx.send('from the thread'));
report('done'); // the Sender was moved: UseAfterDropError at run time
setTimeout(report, 10, 'later'); // handed on after the move: the same when it runs
console.log([...rx]);
