/**
 * What a closure's source text needs from around it: the names it uses but
 * does not declare, and the things no thread can give it (`import.meta`, an
 * enclosing function's `arguments`, a method's `this`). Read by the spawner,
 * once per closure source, to refuse at spawn what would fail in the thread.
 *
 * A tokenizer, not a parser: it errs towards finding fewer free names (a name
 * declared anywhere in the closure counts as declared everywhere in it; a
 * name that may be a property key or a label is not a use), so that it never
 * refuses a closure that would run.
 */

/** How a function's source text begins, which decides how a thread can compile it. */
export type ClosureForm =
  /** `(a) => …`, `async a => …` */
  | 'arrow'
  /** `function (…) {…}`, `async function* name(…) {…}` */
  | 'function'
  /** `name(…) {…}`: an object's or a class's method, its name included */
  | 'method'
  /** `get name() {…}`, `set name(v) {…}` */
  | 'accessor'
  /** `class … {…}` */
  | 'class'
  /** `function name() { [native code] }`: a built-in or a bound function, whose source is not available */
  | 'native';

export interface ClosureNeeds {
  readonly form: ClosureForm;
  /** Names the closure reads or writes without declaring them, in order of first use. */
  readonly free: readonly string[];
  /** It uses `import.meta` (its module's, which a thread does not have). */
  readonly importMeta: boolean;
  /** It loads code its text does not show: `import(…)`, `eval`, `Function`. */
  readonly loadsCode: boolean;
  /** An arrow that uses `arguments`: its enclosing function's. */
  readonly enclosingArguments: boolean;
  /** A method that uses `this` or `super`: its object's or class's. */
  readonly thisOrSuper: boolean;
  /** An arrow that uses `this` or `super`: its enclosing method's (or module's). */
  readonly enclosingThis: boolean;
}

/** A token: a name (identifier or keyword), a punctuator, or a literal (string, number, template, regex). */
export interface Token {
  readonly kind: 'name' | 'punct' | 'literal' | 'private';
  readonly text: string;
  /** Its offset in the text. */
  readonly start: number;
  /** The offset just after it. */
  readonly end: number;
}

/** Words that are never a use of a variable (reserved words, and the contextual ones a closure may contain). */
const NOT_VARIABLES = new Set(
  (
    'async await break case catch class const continue debugger default delete do else enum export extends false ' +
    'finally for function if import in instanceof let new null of return static super switch this throw true try ' +
    'typeof var void while with yield get set arguments eval undefined as from accessor'
  ).split(' '),
);
/** Words after which a `/` starts a regular expression, not a division. */
const BEFORE_EXPRESSION = new Set(
  'return typeof case do else in of new delete void throw instanceof yield await'.split(' '),
);
/** Words after which a `{` opens an object literal. */
const BEFORE_OBJECT = new Set('return typeof case in of new delete void throw instanceof yield await'.split(' '));

/** A function's source text, as `Function.prototype.toString` gives it, read for what it needs. */
export function closureNeeds(source: string): ClosureNeeds {
  if (/\{\s*\[native code\]\s*\}\s*$/.test(source)) {
    return { form: 'native', free: [], importMeta: false, loadsCode: false, enclosingArguments: false, thisOrSuper: false, enclosingThis: false };
  }
  const tokens = tokenize(source);
  const form = formOf(tokens);
  const declared = new Set<string>();
  const used: string[] = [];
  const seen = new Set<string>();
  let importMeta = false;
  let loadsCode = false;
  let enclosingArguments = false;
  let thisOrSuper = false;
  let enclosingThis = false;

  /** Open brackets: the kind of each, and whether it is a body with a `this` and `arguments` of its own. */
  const brackets: { kind: 'block' | 'object' | 'class' | 'paren' | 'square'; ownThis: boolean }[] = [];
  /** How many open brackets give their contents a `this` and `arguments` of their own. */
  let ownThisDepth = 0;
  /** The indices of the `{` that open a function's or a method's body. */
  const functionBodies = new Set<number>();
  /** The indices of the `{` that open a class body. */
  const classBodies = new Set<number>();

  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    const previous = tokens[index - 1];
    const next = tokens[index + 1];
    if (token.kind === 'punct') {
      if (token.text === '{') {
        const kind = classBodies.has(index) ? 'class' : opensObject(previous) ? 'object' : 'block';
        const ownThis = functionBodies.has(index) || kind === 'class';
        brackets.push({ kind, ownThis });
        if (ownThis) ownThisDepth++;
      } else if (token.text === '(' || token.text === '[') {
        brackets.push({ kind: token.text === '(' ? 'paren' : 'square', ownThis: false });
      } else if (token.text === '}' || token.text === ')' || token.text === ']') {
        const closed = brackets.pop();
        if (closed?.ownThis === true) ownThisDepth--;
      } else if (token.text === '=>') {
        markParameters(tokens, index, declared);
      }
      continue;
    }
    if (token.kind !== 'name') continue;
    const word = token.text;
    if (word === 'function') {
      // `function name(…) {`: the name and the parameters are declared.
      let at = index + 1;
      if (tokens[at]?.text === '*') at++;
      if (tokens[at]?.kind === 'name') declared.add(tokens[at++].text);
      if (tokens[at]?.text === '(') functionBodies.add(markGroup(tokens, at, declared) + 1);
      index = at - 1;
      continue;
    }
    if (word === 'class') {
      if (next?.kind === 'name' && next.text !== 'extends') declared.add(next.text);
      classBodies.add(nextBrace(tokens, index + 1));
      continue;
    }
    if (word === 'var' || word === 'let' || word === 'const') {
      markBinding(tokens, index + 1, declared);
      continue;
    }
    // `using x = …` and `await using x = …`: native on Node 24, Deno and Bun, whose closures keep them as written.
    if (word === 'using' && next?.kind === 'name' && previous?.text !== '.' && previous?.text !== '?.') {
      markBinding(tokens, index + 1, declared);
      continue;
    }
    if (word === 'catch' && next?.text === '(') {
      markGroup(tokens, index + 1, declared);
      continue;
    }
    if (word === 'import' && next?.text === '.' && tokens[index + 2]?.text === 'meta') {
      importMeta = true;
      continue;
    }
    if (previous?.text === '.' || previous?.text === '?.') continue;
    if ((word === 'import' && next?.text === '(') || word === 'eval' || word === 'Function') loadsCode = true;
    if (word === 'arguments' && ownThisDepth === 0) {
      if (form === 'arrow') enclosingArguments = true;
      continue;
    }
    if (word === 'this' || word === 'super') {
      // A method's own body is the first body with a `this` of its own; an arrow has none.
      if ((form === 'method' || form === 'accessor') && ownThisDepth <= 1) thisOrSuper = true;
      if (form === 'arrow' && ownThisDepth === 0) enclosingThis = true;
      continue;
    }
    if (next?.text === '(' && !NOT_VARIABLES.has(word)) {
      // `name(…) {`: a method (of an object or a class) being defined, not a call.
      const close = matching(tokens, index + 1);
      if (close !== -1 && tokens[close + 1]?.text === '{') {
        markGroup(tokens, index + 1, declared);
        functionBodies.add(close + 1);
        continue;
      }
    }
    if (NOT_VARIABLES.has(word)) continue;
    // `break label`, `continue label`.
    if (previous?.text === 'break' || previous?.text === 'continue') continue;
    // A name before `:` is a property key or a label, except a conditional's middle (`c ? x : y`) or a `case x:`.
    if (next?.text === ':' && previous?.text !== '?' && previous?.text !== 'case') continue;
    // `typeof x` is allowed on a name that does not exist.
    if (previous?.text === 'typeof') continue;
    const bracket = brackets.at(-1);
    if (bracket?.kind === 'class' && !isOperator(previous)) continue;
    if (!seen.has(word)) {
      seen.add(word);
      used.push(word);
    }
  }
  return { form, free: used.filter((name) => !declared.has(name)), importMeta, loadsCode, enclosingArguments, thisOrSuper, enclosingThis };
}

/** The form of a function from its first tokens. */
function formOf(tokens: readonly Token[]): ClosureForm {
  let at = 0;
  if (tokens[at]?.text === 'class') return 'class';
  if (tokens[at]?.text === 'async' && tokens[at + 1]?.text !== '(' && tokens[at + 1]?.text !== '=>') at++;
  const first = tokens[at];
  if (first?.text === 'function') return 'function';
  if ((first?.text === 'get' || first?.text === 'set') && tokens[at + 1] !== undefined && tokens[at + 1].text !== '(') {
    return 'accessor';
  }
  // An arrow's `=>` comes before any `{` outside its parameters.
  let depth = 0;
  for (const token of tokens) {
    if (token.text === '(' || token.text === '[') depth++;
    else if (token.text === ')' || token.text === ']') depth--;
    else if (depth === 0 && token.text === '=>') return 'arrow';
    else if (depth === 0 && token.text === '{') break;
  }
  return 'method';
}

/** Whether a `{` after `previous` opens an object literal (else a block or a body). */
function opensObject(previous: Token | undefined): boolean {
  if (previous === undefined) return false;
  if (previous.kind === 'name') return BEFORE_OBJECT.has(previous.text);
  if (previous.kind !== 'punct') return false;
  return previous.text !== ')' && previous.text !== ']' && previous.text !== '}' && previous.text !== ';' && previous.text !== '{' && previous.text !== '=>';
}

/** Whether `token` is a punctuator that an expression may follow (in a class body: a field's initializer). */
function isOperator(token: Token | undefined): boolean {
  return token?.kind === 'punct' && !['{', '}', ';', '*', ')', ']'].includes(token.text);
}

/** The index of the first `{` from `at` outside brackets (a class body after its heritage), or -1. */
function nextBrace(tokens: readonly Token[], at: number): number {
  for (let index = at; index < tokens.length; index++) {
    const text = tokens[index].text;
    if (tokens[index].kind !== 'punct') continue;
    if (text === '{') return index;
    if (text === '(' || text === '[') {
      index = matching(tokens, index);
      if (index === -1) return -1;
    }
  }
  return -1;
}

/** The index of the bracket that closes the one at `open`, or -1. */
function matching(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let index = open; index < tokens.length; index++) {
    const text = tokens[index].text;
    if (tokens[index].kind !== 'punct') continue;
    if (text === '(' || text === '[' || text === '{') depth++;
    else if (text === ')' || text === ']' || text === '}') {
      depth--;
      if (depth === 0) return index;
    }
  }
  return -1;
}

/**
 * Declares every name inside the bracketed group opening at `open` (parameters, a destructuring pattern);
 * returns the index of its closing bracket (-1 when it does not close).
 */
function markGroup(tokens: readonly Token[], open: number, declared: Set<string>): number {
  const close = matching(tokens, open);
  const end = close === -1 ? tokens.length : close;
  for (let index = open + 1; index < end; index++) if (tokens[index].kind === 'name') declared.add(tokens[index].text);
  return close;
}

/** Declares the binding after `var`/`let`/`const` at `at`: a name, or every name of a pattern. */
function markBinding(tokens: readonly Token[], at: number, declared: Set<string>): void {
  const token = tokens[at];
  if (token === undefined) return;
  let after = at + 1;
  if (token.text === '{' || token.text === '[') {
    markGroup(tokens, at, declared);
    // The names after the pattern: `const [a, b] = f(), c = g()` (Bun's toString joins declarations so).
    after = matching(tokens, at) + 1;
    if (after === 0) return;
  } else if (token.kind === 'name') declared.add(token.text);
  // `let a = 1, b = 2`: the names after a comma at the same depth are declared too.
  let depth = 0;
  for (let index = after; index < tokens.length; index++) {
    const text = tokens[index].text;
    if (tokens[index].kind !== 'punct') {
      if (depth === 0 && (text === 'of' || text === 'in')) return;
      continue;
    }
    if (text === '(' || text === '[' || text === '{') depth++;
    else if (text === ')' || text === ']' || text === '}') {
      if (depth === 0) return;
      depth--;
    } else if (depth === 0 && text === ';') return;
    else if (depth === 0 && text === ',') {
      const following = tokens[index + 1];
      if (following?.text === '{' || following?.text === '[') markGroup(tokens, index + 1, declared);
      else if (following?.kind === 'name') declared.add(following.text);
    }
  }
}

/** Declares an arrow's parameters: the group or the name before its `=>` at `arrow`. */
function markParameters(tokens: readonly Token[], arrow: number, declared: Set<string>): void {
  const before = tokens[arrow - 1];
  if (before === undefined) return;
  if (before.kind === 'name') {
    declared.add(before.text);
    return;
  }
  if (before.text !== ')') return;
  let depth = 0;
  for (let index = arrow - 1; index >= 0; index--) {
    const text = tokens[index].text;
    if (tokens[index].kind !== 'punct') {
      if (depth > 0 && tokens[index].kind === 'name') declared.add(text);
      continue;
    }
    if (text === ')' || text === ']' || text === '}') depth++;
    else if (text === '(' || text === '[' || text === '{') {
      depth--;
      if (depth === 0) return;
    }
  }
}

/**
 * The tokens of `source` (JavaScript, or TypeScript) from offset `from`;
 * comments and whitespace dropped, string and template text as literals.
 */
export function tokenize(source: string, from = 0): Token[] {
  const tokens: Token[] = [];
  /** For each open `{`: whether it is a template's `${`, whose `}` resumes the template. */
  const braces: boolean[] = [];
  const length = source.length;
  let at = from;
  // Sticky expressions do the scanning: a closure is read once, often in a cold process, where they beat a loop.
  for (;;) {
    at = Math.max(at, matchAt(SPACE, source, at));
    if (at >= length) return tokens;
    const start = at;
    const char = source[at];
    if (char === '"' || char === "'") {
      at = skipString(source, at, char);
      tokens.push({ kind: 'literal', text: char, start, end: at });
    } else if (char === '`' || (char === '}' && braces.at(-1) === true)) {
      if (char === '}') braces.pop();
      at = skipTemplate(source, at + 1, braces);
      tokens.push({ kind: 'literal', text: '`', start, end: at });
    } else if (char === '/' && startsRegex(tokens.at(-1))) {
      at = skipRegex(source, at);
      tokens.push({ kind: 'literal', text: '/', start, end: at });
    } else {
      const name = matchAt(NAME, source, char === '#' ? at + 1 : at);
      const number = name === -1 ? matchAt(NUMBER, source, at) : -1;
      at = name !== -1 ? name : number !== -1 ? number : matchAt(PUNCTUATOR, source, at);
      const text = source.slice(start, at);
      if (name !== -1) {
        // `w\u00F6rld` (esbuild escapes non-ASCII names) is `wörld`.
        const decoded = text.includes('\\') ? text.replace(ESCAPE, (_, braced: string | undefined, four: string | undefined) => String.fromCodePoint(parseInt(braced ?? four!, 16))) : text;
        tokens.push({ kind: char === '#' ? 'private' : 'name', text: decoded, start, end: at });
      } else if (number !== -1) {
        tokens.push({ kind: 'literal', text, start, end: at });
      } else {
        if (text === '{') braces.push(false);
        else if (text === '}') braces.pop();
        tokens.push({ kind: 'punct', text, start, end: at });
      }
    }
  }
}

/** Where a match of the sticky `pattern` at `at` ends, or -1. */
function matchAt(pattern: RegExp, source: string, at: number): number {
  pattern.lastIndex = at;
  return pattern.test(source) ? pattern.lastIndex : -1;
}

/** Whitespace and comments. */
const SPACE = /(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))+/y;
/** A name: an identifier or a word, escapes allowed. */
const NAME = /(?:[\p{ID_Start}$_]|\\u[\da-fA-F]{4}|\\u\{[\da-fA-F]+\})(?:[\p{ID_Continue}$\u200c\u200d]|\\u[\da-fA-F]{4}|\\u\{[\da-fA-F]+\})*/uy;
/** An escape in a name. */
const ESCAPE = /\\u(?:\{([\da-fA-F]+)\}|([\da-fA-F]{4}))/g;
/** A number (its exact form does not matter here). */
const NUMBER = /(?:\d|\.\d)[\w.]*/y;
/** A punctuator, longest first; `?.5` is a conditional before a number, not optional chaining. */
const PUNCTUATOR =
  />>>=|\.\.\.|===|!==|\*\*=|<<=|>>=|>>>|&&=|\|\|=|\?\?=|=>|==|!=|<=|>=|&&|\|\||\?\?|\?\.(?!\d)|\+\+|--|\+=|-=|\*=|\/=|%=|&=|\|=|\^=|\*\*|<<|>>|[^]/y;

/** Whether a `/` after `previous` starts a regular expression. */
function startsRegex(previous: Token | undefined): boolean {
  if (previous === undefined) return true;
  if (previous.kind === 'name') return BEFORE_EXPRESSION.has(previous.text);
  if (previous.kind === 'punct') return previous.text !== ')' && previous.text !== ']' && previous.text !== '}';
  return false;
}

/** The index after the string literal opening at `at`. */
function skipString(source: string, at: number, quote: string): number {
  let index = at + 1;
  while (index < source.length && source[index] !== quote && source[index] !== '\n') index += source[index] === '\\' ? 2 : 1;
  return index + 1;
}

/** The index after a template's text from `at`: past its closing backtick, or past a `${` (then pushed on `braces`). */
function skipTemplate(source: string, at: number, braces: boolean[]): number {
  let index = at;
  while (index < source.length) {
    const char = source[index];
    if (char === '\\') index += 2;
    else if (char === '`') return index + 1;
    else if (char === '$' && source[index + 1] === '{') {
      braces.push(true);
      return index + 2;
    } else index++;
  }
  return index;
}

/** The index after the regular expression literal opening at `at`. */
function skipRegex(source: string, at: number): number {
  let index = at + 1;
  let inClass = false;
  while (index < source.length && source[index] !== '\n') {
    const char = source[index];
    if (char === '\\') index++;
    else if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    else if (char === '/' && !inClass) break;
    index++;
  }
  index++;
  while (index < source.length && /[a-z]/.test(source[index])) index++;
  return index;
}
