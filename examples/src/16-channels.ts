/**
 * Channels: sending values from several producers to one consumer.
 *
 * Rust: `let (tx, rx) = mpsc::channel(); thread::spawn(move || tx.send(42).unwrap()); rx.recv().unwrap();`
 *
 * Not in the chapter's examples, but the way most threaded programs talk: the
 * messages live in shared memory, and `recv()` fails once every sender is gone.
 */
import { move, spawn } from '@sendsync/runtime';
import { channel } from '@sendsync/runtime/sync/mpsc';

const [tx, rx] = channel<string>();
const producers = [1, 2, 3].map((id) =>
  spawn(move(tx.clone(), id), (tx, id) => {
    for (let i = 0; i < 3; i++) tx.send(`producer ${id}: message ${i}`);
  }), // each thread drops its sender as it ends
);
tx.drop(); // the main thread keeps no sender, so the loop below ends

const messages = [...rx]; // iterates until every sender is dropped
for (const producer of producers) producer.join();
console.log(`received ${messages.length} messages, e.g. "${messages.sort()[0]}"`);
