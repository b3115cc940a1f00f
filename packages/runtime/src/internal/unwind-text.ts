/**
 * Rust's unwinding for native `using` in a closure the runtime compiles.
 *
 * Where the engine runs `using` itself (Node 24 running `.ts`, Deno, Bun),
 * the closure's text holds the declarations as written, and the engine
 * disposes a guard without telling it whether its block threw, so a panic
 * inside the block would release the lock unpoisoned. As the bundler plugin
 * does for the closures it lifts (its `unwind.ts`), the thread puts, after
 * each `using` declaration, a `try` around the rest of the block whose
 * `catch` hands the exception and the declared resources to `unwinding`
 * (`internal/unwinding.ts`), then rethrows:
 *
 *     using guard = mutex.lock();
 *     guard.value = 1; }
 *     using guard = mutex.lock(); try {
 *     guard.value = 1; } catch (e) { unwinding(e, guard); throw e; } }
 *
 * This works on tokens, not a parse, so it changes a text only where it is
 * sure, and keeps every token of the text at its line and column (a thread's
 * stack frames and source map name the file's positions): each addition
 * goes at the end of a line, after its last token. A declaration that does
 * not end with `;` as the last token of its line, a block whose `}` does not
 * begin its line, a `switch` case, or a function or class declared after the
 * `using` in its block (the `try` would hide it from the statements before)
 * leaves the whole text as it is: no poisoning there, as before. A
 * `for (using …)` loop is left as it is (its head is not a statement). A text that does not compile once changed is compiled as it was
 * (`closure.ts`).
 */

import { tokenize, type Token } from './closure-names.js';

/** The name the closure's compiled text calls `unwinding` by (bound by `closure.ts`). */
export const UNWINDING_NAME = '__sendsyncUnwinding';
const ERROR = '__sendsyncError';

/** The text with its catches added, and where each addition went (an offset of the original text, and its length). */
export interface Unwound {
  readonly text: string;
  readonly added: readonly (readonly [at: number, length: number])[];
}

/** `text` with the catches added, or undefined when it declares nothing with `using` or cannot be changed safely. */
export function withUnwindingText(text: string): Unwound | undefined {
  const tokens = tokenize(text);
  const inserts: { at: number; text: string; order: number }[] = [];
  for (let index = 0; index < tokens.length; index++) {
    const declaration = usingAt(tokens, index);
    if (declaration === undefined) continue;
    const added = catchFor(text, tokens, declaration);
    if (added === undefined) return undefined;
    inserts.push(...added);
  }
  if (inserts.length === 0) return undefined;
  inserts.sort((a, b) => a.at - b.at || a.order - b.order);
  let out = '';
  let from = 0;
  for (const insert of inserts) {
    out += text.slice(from, insert.at) + insert.text;
    from = insert.at;
  }
  return { text: out + text.slice(from), added: inserts.map(({ at, text: insert }) => [at, insert.length] as const) };
}

/**
 * The index of the first name declared, when `tokens[index]` begins a
 * `using` declaration statement (`using x =`, `await using x =`), else
 * undefined (a `for (using …)` head is not a statement: its loop is left
 * as it is).
 */
function usingAt(tokens: readonly Token[], index: number): number | undefined {
  const token = tokens[index];
  if (token.kind !== 'name' || token.text !== 'using') return undefined;
  const name = tokens[index + 1];
  if (name?.kind !== 'name' || tokens[index + 2]?.text !== '=') return undefined;
  let start = index;
  if (tokens[index - 1]?.kind === 'name' && tokens[index - 1].text === 'await') start--;
  const before = tokens[start - 1];
  // At a statement's start: after `{`, `;`, `}` or a label's `:` (not a `for` head's `(`: its body is left as it is).
  if (before !== undefined && !['{', ';', '}', ':'].includes(before.text)) return undefined;
  return index + 1;
}

/**
 * The additions for the declaration whose first name is `tokens[first]`
 * (after the `using` at `first - 1`): ` try {` after its `;`, the `catch`
 * after the last token of its block (none when it ends its block);
 * undefined when it cannot be done safely (see the module's comment).
 */
function catchFor(text: string, tokens: readonly Token[], first: number): { at: number; text: string; order: number }[] | undefined {
  // The declaration's names, up to its `;` at its own depth.
  const names = [tokens[first].text];
  let depth = 0;
  let semicolon = -1;
  for (let at = first + 1; at < tokens.length; at++) {
    const token = tokens[at];
    if (token.kind !== 'punct') continue;
    if (token.text === '(' || token.text === '[' || token.text === '{') depth++;
    else if (token.text === ')' || token.text === ']' || token.text === '}') {
      if (--depth < 0) return undefined;
    } else if (depth === 0 && token.text === ',') {
      const next = tokens[at + 1];
      if (next?.kind !== 'name') return undefined;
      names.push(next.text);
    } else if (depth === 0 && token.text === ';') {
      semicolon = at;
      break;
    }
  }
  if (semicolon === -1) return undefined;
  const next = tokens[semicolon + 1];
  if (next === undefined || !text.slice(tokens[semicolon].end, next.start).includes('\n')) return undefined;
  // The block's `}`: nothing may stand between the declaration and it that a `try` would change.
  depth = 0;
  let close = -1;
  for (let at = semicolon + 1; at < tokens.length; at++) {
    const token = tokens[at];
    if (depth === 0 && token.kind === 'name' && (token.text === 'case' || token.text === 'default') && tokens[at + 1]?.text !== '.') return undefined;
    if (depth === 0 && token.kind === 'name' && (token.text === 'function' || token.text === 'class') && [';', '}', '{'].includes(tokens[at - 1].text)) return undefined;
    if (token.kind !== 'punct') continue;
    if (token.text === '(' || token.text === '[' || token.text === '{') depth++;
    else if (token.text === ')' || token.text === ']' || token.text === '}') {
      if (depth-- === 0) {
        close = at;
        break;
      }
    }
  }
  if (close === -1) return undefined;
  // The block's last statement: nothing after it can throw while it is declared.
  if (close === semicolon + 1) return [];
  const last = tokens[close - 1];
  if (!text.slice(last.end, tokens[close].start).includes('\n')) return undefined;
  return [
    { at: tokens[semicolon].end, text: ' try {', order: 0 },
    // Closings after the block's last token: the innermost (the latest declaration, the larger offset) first.
    { at: last.end, text: ` } catch (${ERROR}) { ${UNWINDING_NAME}(${[ERROR, ...names].join(', ')}); throw ${ERROR}; }`, order: -tokens[semicolon].end },
  ];
}
