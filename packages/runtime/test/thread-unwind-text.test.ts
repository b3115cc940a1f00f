import { describe, expect, it } from 'vitest';
import { withUnwindingText } from '../dist/internal/unwind-text.js';

/*
 * Native `using` in a closure's text (Node 24, Deno, Bun): the thread puts a
 * catch after each declaration that tells the guards of a panic, keeping
 * every token at its line and column. hosts.test.ts runs it on each engine.
 */

/** What was added is all that changed, and nothing was added before a token on its line: every token keeps its line and column. */
function keepsEveryToken(before: string, unwound: { text: string; added: readonly (readonly [number, number])[] }): void {
  let rebuilt = '';
  let from = 0;
  let moved = 0;
  for (const [at, length] of unwound.added) {
    rebuilt += unwound.text.slice(from + moved, at + moved);
    // Only a comment or spaces may follow an addition on its line.
    expect(before.slice(at).split('\n')[0]).toMatch(/^\s*(?:\/\/.*)?$/);
    from = at;
    moved += length;
  }
  expect(rebuilt + unwound.text.slice(from + moved)).toBe(before);
}

describe('the catches after native `using` declarations', () => {
  it('nests a try after each declaration and closes them after the block\'s last token, innermost first, each naming its resources', () => {
    const text = '(a, b) => {\n  using x = a.lock(), y = b.lock(); // both\n  x.value = 1;\n  await using z = b.lock();\n  return z.value;\n}';
    const unwound = withUnwindingText(text);
    expect(unwound?.text.split('\n')).toEqual([
      '(a, b) => {',
      '  using x = a.lock(), y = b.lock(); try { // both',
      '  x.value = 1;',
      '  await using z = b.lock(); try {',
      '  return z.value; } catch (__sendsyncError) { __sendsyncUnwinding(__sendsyncError, z); throw __sendsyncError; } } catch (__sendsyncError) { __sendsyncUnwinding(__sendsyncError, x, y); throw __sendsyncError; }',
      '}',
    ]);
    keepsEveryToken(text, unwound!);
    // What was added, where: the offsets a thread's source map moves its positions by.
    expect(unwound?.added.map(([at]) => text.slice(0, at).split('\n').length)).toEqual([2, 4, 5, 5]);
  });

  it('handles each block apart: a nested block closes its own catch before its `}`', () => {
    const text = '(log) => {\n  using a = res("a", log);\n  if (log) { using b = res("b", log);\n    log.push("body");\n  }\n  return log;\n}';
    const unwound = withUnwindingText(text)!;
    keepsEveryToken(text, unwound);
    expect(unwound.text.split('\n').slice(3, 6)).toEqual([
      '    log.push("body"); } catch (__sendsyncError) { __sendsyncUnwinding(__sendsyncError, b); throw __sendsyncError; }',
      '  }',
      '  return log; } catch (__sendsyncError) { __sendsyncUnwinding(__sendsyncError, a); throw __sendsyncError; }',
    ]);
  });

  it('leaves a text it cannot change safely as it is', () => {
    for (const text of [
      '() => { using g = m.lock(); g.value = 1; }', // a declaration not last on its line
      '() => {\n  using g = m.lock()\n  g.value = 1\n}', // no semicolon
      '() => {\n  for (using g of gs()) work(g);\n}', // a loop's head
      '() => {\n  switch (k) {\n    case 1: using g = m.lock();\n    work(g);\n    break;\n    case 2:\n    other();\n  }\n}', // a case
      '() => {\n  early();\n  using g = m.lock();\n  function early() {}\n}', // a hoisted function after it
      '() => {\n  const using = 1;\n  return using;\n}', // `using` as a name
      '() => 1',
    ]) {
      expect(withUnwindingText(text), text).toBeUndefined();
    }
  });
});
