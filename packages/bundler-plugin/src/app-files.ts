/**
 * The application's own scripts (the modules that may spawn) as one
 * pattern of their paths that a bundler matches itself, before it calls the
 * plugin: esbuild's `onLoad` filter (Go's RE2) and Vite's hook filter
 * (Rolldown's, in Rust). Each call that pattern spares is a round trip to
 * the plugin's JavaScript: esbuild's costs about as much as loading the
 * file, and a program's dependencies (`node_modules`, the runtime's own
 * files) are most of its modules. Neither engine has lookahead, so what is
 * left out is spelled out folder by folder: no folder named
 * `node_modules`, and not under the runtime's package folder.
 */

/** The extensions of the scripts the plugin reads (JavaScript and TypeScript, JSX included). */
export const SCRIPT = /\.[cm]?[jt]sx?$/;
const SEPARATOR = String.raw`[\\/]`;
/** Any run of characters of one path segment. */
const SEGMENT_CHARACTER = String.raw`[^\\/]`;
const DEPENDENCIES = 'node_modules';

/**
 * A pattern of the scripts outside `node_modules` and outside `excluded` (a
 * folder, with or without its trailing separator), for absolute paths with
 * either separator.
 */
export function appScripts(excluded: string): RegExp {
  const folders = excluded.split(/[\\/]/).filter((segment, index) => index === 0 || segment !== '');
  // A folder inside node_modules is left out with it.
  const under = folders.includes(DEPENDENCIES) ? '' : foldersNotUnder(folders, 0);
  return new RegExp(`^${under === '' ? anyFolders() : under}${SEGMENT_CHARACTER}*${SCRIPT.source}`);
}

/** Folders (each with its separator) that do not start with `folders.slice(index)`, none of them `node_modules`. */
function foldersNotUnder(folders: readonly string[], index: number): string {
  const folder = folders[index];
  const elsewhere = `${segmentOtherThan([folder, DEPENDENCIES])}${SEPARATOR}${anyFolders()}`;
  const deeper = index + 1 < folders.length ? `|${escape(folder)}${SEPARATOR}${foldersNotUnder(folders, index + 1)}` : '';
  // Or none: the file sits in the folders matched so far.
  return `(?:${elsewhere}${deeper}|)`;
}

/** Any folders (each with its separator), none of them `node_modules`. */
function anyFolders(): string {
  return `(?:${segmentOtherThan([DEPENDENCIES])}${SEPARATOR})*`;
}

/** A path segment (possibly empty) that is none of `words`: read from the trie of the words, one character at a time. */
function segmentOtherThan(words: readonly string[]): string {
  return otherThan(words.map((word) => [...word]));
}

function otherThan(suffixes: readonly (readonly string[])[]): string {
  const ends = suffixes.some((suffix) => suffix.length === 0);
  const next = new Map<string, string[][]>();
  for (const suffix of suffixes) {
    if (suffix.length === 0) continue;
    const [first, ...rest] = suffix;
    next.set(first, [...(next.get(first) ?? []), rest]);
  }
  const alternatives: string[] = [];
  // Here, the segment may end (unless a word does), go on with a character no word has next, or follow a word.
  if (!ends) alternatives.push('');
  alternatives.push(`[^\\\\/${[...next.keys()].map(escape).join('')}]${SEGMENT_CHARACTER}*`);
  for (const [character, rest] of next) alternatives.push(`${escape(character)}${otherThan(rest)}`);
  return `(?:${alternatives.join('|')})`;
}

/** A pattern of the paths in the folder `folder`, with either separator after it. */
export function pathsUnder(folder: string): RegExp {
  return new RegExp(`^${escape(folder)}${SEPARATOR}`);
}

/** A pattern of exactly the path `path`. */
export function exactPath(path: string): RegExp {
  return new RegExp(`^${escape(path)}$`);
}

/** A pattern of exactly the paths `paths` (at least one). */
export function exactPaths(paths: Iterable<string>): RegExp {
  return new RegExp(`^(?:${[...paths].map(escape).join('|')})$`);
}

/** `text` as literal characters of a pattern (RE2, Rust's regex and JavaScript's alike), in a character class or out. */
function escape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}
