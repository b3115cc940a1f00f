/**
 * A module's import bindings, which say whether it can spawn at all: read
 * from its text when its import declarations are written in the usual forms
 * (most modules of an app do not spawn, and this costs no parse), else from
 * oxc-parser's module record.
 */

import type { EcmaScriptModule } from 'oxc-parser';

/** One import binding of a module: `import { imported as local } from 'specifier'`. */
export interface ImportBinding {
  readonly specifier: string;
  /** The exported name; `*` for a namespace, `default` for a default import. */
  readonly imported: string;
}

/** A module's value imports, and where its import declarations are. */
export interface ModuleImports {
  /** The value imports by local name. */
  readonly bindings: ReadonlyMap<string, ImportBinding>;
  /** The offsets [start, end) of the import declarations. */
  readonly declarations: readonly (readonly [number, number])[];
}

/** `import <clause> from "specifier"`, with a clause of names, braces, commas and `*` only (no comment, no quoted name). */
const DECLARATION = /\bimport\s+([\w$\s{},*]*?)\s*\bfrom\s*(["'])([^"'\n]*)\2/g;
/** `import "specifier"`: no binding. */
const SIDE_EFFECT = /\bimport\s*(["'])[^"'\n]*\1/g;
/** An import declaration of any form, as what is left of the text is checked for one not read above. */
const ANY_DECLARATION = /\bimport\b\s*[\w${*"']/;
/** A clause: a default binding, then a namespace or named bindings. */
const CLAUSE = /^(?:([\w$]+)\s*(?:,\s*|$))?(?:\*\s*as\s+([\w$]+)|\{([^}]*)\})?$/;
/** One named binding: `name`, `name as local`, `type name` (type-only). */
const NAMED = /^(type\s+)?([\w$]+)(?:\s+as\s+([\w$]+))?$/;
/** A whole declaration that imports types only: `import type X from`, `import type { X } from`. */
const TYPE_ONLY = /^type\s+(?=[\w${*])/;

/** The imports as the text writes them; undefined when a declaration is in a form not read here (the caller then parses). */
export function importsFromText(code: string): ModuleImports | undefined {
  const bindings = new Map<string, ImportBinding>();
  const declarations: (readonly [number, number])[] = [];
  for (const match of code.matchAll(DECLARATION)) {
    const [whole, clause, , specifier] = match;
    declarations.push([match.index, match.index + whole.length]);
    const typeOnly = TYPE_ONLY.exec(clause);
    if (!readClause(typeOnly === null ? clause : clause.slice(typeOnly[0].length), specifier, typeOnly === null ? bindings : new Map<string, ImportBinding>())) return undefined;
  }
  for (const match of code.matchAll(SIDE_EFFECT)) declarations.push([match.index, match.index + match[0].length]);
  return ANY_DECLARATION.test(outside(code, declarations)) ? undefined : { bindings, declarations };
}

/** The imports as oxc-parser's module record gives them. */
export function importsFromRecord(module: EcmaScriptModule): ModuleImports {
  const bindings = new Map<string, ImportBinding>();
  for (const statement of module.staticImports) {
    for (const entry of statement.entries) {
      if (entry.isType) continue;
      // oxc's kinds are an ambient const enum: compared by their string values.
      const kind: string = entry.importName.kind;
      const { name } = entry.importName;
      const imported = kind === 'NamespaceObject' ? '*' : kind === 'Default' ? 'default' : (name as string);
      bindings.set(entry.localName.value, { specifier: statement.moduleRequest.value, imported });
    }
  }
  return { bindings, declarations: module.staticImports.map(({ start, end }) => [start, end] as const) };
}

/**
 * The names the module's text calls, constructs or reads a member of
 * (`name(`, `name<T>(`, `new name`, `name.`) outside its import
 * declarations: a name it imports can spawn only there, so a module that
 * imports `spawn` but never calls it, or names a neighbour's export only as
 * a value, costs no parse and no look-up of re-exports (an occurrence in a
 * comment or a string only costs those).
 */
export function calleesOutsideImports(code: string, imports: ModuleImports): ReadonlySet<string> {
  const names = new Set<string>();
  for (const [, constructed, called] of outside(code, imports.declarations).matchAll(CALLEE)) names.add(constructed ?? called);
  return names;
}
/** A name after `new`, or before a call, type arguments or a member access (`?.` and TypeScript's `!` included). */
const CALLEE = /\bnew\s+([\w$]+)|(?<![\w$.])([\w$]+)\s*[(.<?!]/g;

/** Reads one clause's value bindings into `into`; false when it is not in a form read here. */
function readClause(clause: string, specifier: string, into: Map<string, ImportBinding>): boolean {
  const match = CLAUSE.exec(clause.trim());
  if (match === null || clause.trim() === '') return false;
  const [, defaultLocal, namespaceLocal, named] = match;
  if (defaultLocal !== undefined) into.set(defaultLocal, { specifier, imported: 'default' });
  if (namespaceLocal !== undefined) into.set(namespaceLocal, { specifier, imported: '*' });
  for (const part of named?.split(',') ?? []) {
    if (part.trim() === '') continue;
    const binding = NAMED.exec(part.trim());
    if (binding === null) return false;
    const [, typeOnly, imported, local] = binding;
    if (typeOnly === undefined) into.set(local ?? imported, { specifier, imported });
  }
  return true;
}

/** The text with the given ranges blanked out. */
function outside(code: string, ranges: readonly (readonly [number, number])[]): string {
  let text = '';
  let from = 0;
  for (const [start, end] of [...ranges].sort(([a], [b]) => a - b)) {
    text += code.slice(from, start) + ' ';
    from = Math.max(from, end);
  }
  return text + code.slice(from);
}
