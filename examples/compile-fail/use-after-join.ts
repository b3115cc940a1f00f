// E0382: a handle used after a method took ownership of it (Rust's `self`): joined, or dropped.
import { spawn } from '@sendsync/runtime';
import { Arc } from '@sendsync/runtime/sync';
import { channel } from '@sendsync/runtime/sync/mpsc';

const handle = spawn(() => 6 * 7);
console.log(handle.join());
console.log(handle.join()); // joined already: JoinedError at run time

const config = new Arc({ verbose: true });
config.drop();
console.log(config.value.verbose); // dropped: UseAfterDropError at run time

const [tx, rx] = channel<number>();
tx.drop();
tx.send(1); // dropped: the receiver's for..of has ended
console.log([...rx]);
