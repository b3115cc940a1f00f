/**
 * RwLock: many readers at once, or one writer.
 *
 * Rust: `let config = RwLock::new(...); config.read().unwrap(); *config.write().unwrap() = ...;`
 *
 * For data read far more often than written. Writers are not starved by a
 * stream of readers.
 */
import { borrow, move, scope } from '@sendsync/runtime';
import { RwLock } from '@sendsync/runtime/sync';

const config = new RwLock({ version: 1, greeting: 'hello' });
const seen = scope((s) => {
  const readers = [1, 2, 3].map((i) =>
    s.spawn(borrow(config), move(i), (config, i) => {
      using reader = config.read(); // many readers may hold this at once
      return `reader ${i} saw version ${reader.value.version}`;
    }),
  );
  return readers.map((reader) => reader.join());
});
for (const line of seen) console.log(line);

{
  using writer = config.write(); // exclusive
  writer.value = { version: 2, greeting: 'bonjour' };
}
{
  using reader = config.read();
  console.log(`after the write: version ${reader.value.version}, ${reader.value.greeting}`);
}
