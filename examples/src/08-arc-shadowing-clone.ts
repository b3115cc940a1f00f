/**
 * Cloning an Arc for a thread, and keeping the original.
 *
 * Rust: `thread::spawn({ let a = a.clone(); move || dbg!(a) }); dbg!(a);`
 *
 * The clone is what moves into the thread (`move(a.clone())`, the closure's
 * parameter shadows the outer `a`); the original stays usable here.
 */
import { move, spawn } from '@sendsync/runtime';
import { Arc } from '@sendsync/runtime/sync';

const a = new Arc([1, 2, 3]);
spawn(move(a.clone()), (a) => {
  console.log(`[thread] ${JSON.stringify(a.value)} (count ${a.strongCount()})`);
}).join(); // the thread dropped its clone as it ended
console.log(`[main]   ${JSON.stringify(a.value)} (count ${a.strongCount()})`); // original `a` still lives here
