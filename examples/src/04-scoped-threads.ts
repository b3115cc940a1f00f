/**
 * Scoped threads: threads that cannot outlive a scope may borrow its values.
 *
 * Rust: `thread::scope(|s| { s.spawn(|| println!("length: {}", numbers.len())); s.spawn(|| for n in &numbers { println!("{n}") }); });`
 *
 * A borrowed value must be Sync; the thread sees it read-only. Every scoped
 * thread is joined when the scope ends.
 */
import { borrow, scope } from '@sendsync/runtime';

const numbers = [1, 2, 3];
scope((s) => {
  s.spawn(borrow(numbers), (numbers) => console.log(`length: ${numbers.length}`));
  s.spawn(borrow(numbers), (numbers) => {
    for (const n of numbers) console.log(n);
  });
});
// All scoped threads are joined by here.
console.log('both scoped threads are done; numbers is still ours:', numbers);
