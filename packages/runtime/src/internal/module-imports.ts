/**
 * The value bindings a module imports, read from its source text: what a
 * spawned closure may use from the module that spawned it. The spawner reads
 * them (once per module) to tell the thread which modules to import for the
 * closure's free names (see closure-site.ts).
 */

import { host } from '#host';
// The lexer's JavaScript build, not its WebAssembly one: compiling WebAssembly is what a strict Content Security
// Policy (`script-src 'self'`, without 'wasm-unsafe-eval') forbids, and this module loads with the runtime in every page.
import { parse, type ImportSpecifier, type ImportType } from 'es-module-lexer/js';

/** One imported value binding: `import { name as local } from 'specifier'`. */
interface ImportBinding {
  /** The specifier as written in the spawning module. */
  readonly specifier: string;
  /** The exported name; `*` for a namespace import, `default` for a default import. */
  readonly name: string;
  /** The name the spawning module (and so the closure) uses. */
  readonly local: string;
}

/** An import statement (static, not `import type`) once its specifier is cut off. */
const CLAUSE = /^import\s+([\s\S]*?)\s*from\s*$/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
/** The lexer's `ImportType.Static` (its JavaScript build exports `parse` alone). */
const STATIC_IMPORT: ImportType = 1;

/** A module's imports by its URL: a module is read and lexed once per thread. */
const byUrl = new Map<string, ReadonlyMap<string, ImportBinding>>();

/** The value bindings `url` imports, by local name; empty when its source cannot be read. */
function moduleImports(url: string): ReadonlyMap<string, ImportBinding> {
  let imports = byUrl.get(url);
  if (imports === undefined) {
    const source = host.readTextSync(url);
    imports = source === undefined ? new Map() : importsOf(source);
    byUrl.set(url, imports);
  }
  return imports;
}

/** The value bindings that `source` (JavaScript or TypeScript) imports, by local name. */
function importsOf(source: string): Map<string, ImportBinding> {
  const imports = new Map<string, ImportBinding>();
  let statements: readonly ImportSpecifier[];
  try {
    [statements] = parse(source);
  } catch {
    // TypeScript syntax the lexer does not know: no import is bound, and the closure's names are refused by name.
    return imports;
  }
  for (const statement of statements) {
    if (statement.t !== STATIC_IMPORT || statement.n === undefined) continue;
    // The text from `import` to just before the quoted specifier.
    const head = source.slice(statement.ss, statement.s - 1).replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ');
    const clause = CLAUSE.exec(head)?.[1];
    if (clause === undefined || /^type\s/.test(clause)) continue;
    addClause(imports, statement.n, clause);
  }
  return imports;
}

/** Adds the bindings of one import clause: `x`, `* as ns`, `{ a, b as c, type D }` and their combinations. */
function addClause(imports: Map<string, ImportBinding>, specifier: string, clause: string): void {
  const braces = /\{([\s\S]*)\}/.exec(clause);
  const rest = clause.replace(/\{[\s\S]*\}/, '').split(',').map((part) => part.trim());
  for (const part of rest) {
    const namespace = /^\*\s*as\s+([A-Za-z_$][\w$]*)$/.exec(part);
    if (namespace !== null) imports.set(namespace[1], { specifier, name: '*', local: namespace[1] });
    else if (IDENTIFIER.test(part)) imports.set(part, { specifier, name: 'default', local: part });
  }
  if (braces === null) return;
  for (const entry of braces[1].split(',')) {
    const words = entry.trim().split(/\s+/);
    if (words[0] === '' || words[0] === 'type') continue;
    const name = words[0].replace(/^["']|["']$/g, '');
    const local = words[1] === 'as' ? words[2] : words[0];
    if (local !== undefined && IDENTIFIER.test(local)) imports.set(local, { specifier, name, local });
  }
}

export default { moduleImports, importsOf };
