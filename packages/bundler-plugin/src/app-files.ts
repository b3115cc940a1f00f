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

import { sep } from 'node:path';

/** The extensions of the scripts the plugin reads (JavaScript and TypeScript, JSX included). */
export const SCRIPT = /\.[cm]?[jt]sx?$/;
const SEPARATOR = String.raw`[\\/]`;
/** Any run of characters of one path segment. */
const SEGMENT_CHARACTER = String.raw`[^\\/]`;
export const DEPENDENCIES = 'node_modules';

/**
 * A pattern of the scripts outside `node_modules` and outside each folder of
 * `excluded` (with or without its trailing separator), for absolute paths
 * with either separator.
 */
export function appScripts(excluded: string | readonly string[]): RegExp {
  return new RegExp(`^${foldersNotUnder(excludedTree(typeof excluded === 'string' ? [excluded] : excluded))}${SEGMENT_CHARACTER}*${SCRIPT.source}`);
}

/** Excluded folders as a tree of their segments; a folder whose every path below is excluded is `EXCLUDED`. */
type FolderTree = Map<string, FolderTree | typeof EXCLUDED>;
const EXCLUDED = 'excluded';

function excludedTree(excluded: readonly string[]): FolderTree {
  const root: FolderTree = new Map();
  for (const folder of excluded) {
    const segments = folder.split(/[\\/]/).filter((segment, index) => index === 0 || segment !== '');
    // A folder inside node_modules is left out with it.
    if (segments.includes(DEPENDENCIES)) continue;
    let tree = root;
    for (const [index, segment] of segments.entries()) {
      const below = tree.get(segment);
      if (below === EXCLUDED) break;
      if (index === segments.length - 1) {
        tree.set(segment, EXCLUDED);
        break;
      }
      const next: FolderTree = below ?? new Map<string, FolderTree | typeof EXCLUDED>();
      tree.set(segment, next);
      tree = next;
    }
  }
  return root;
}

/** Folders (each with its separator) that do not lead into an excluded folder of `tree`, none of them `node_modules`. */
function foldersNotUnder(tree: FolderTree): string {
  const elsewhere = `${segmentOtherThan([...tree.keys(), DEPENDENCIES])}${SEPARATOR}${anyFolders()}`;
  const deeper = [...tree].filter(([, below]) => below !== EXCLUDED).map(([segment, below]) => `|${escape(segment)}${SEPARATOR}${foldersNotUnder(below as FolderTree)}`);
  // Or none: the file sits in the folders matched so far.
  return `(?:${elsewhere}${deeper.join('')}|)`;
}

/** A folder as a scan read it: its entries' names, and the folders among them it read too. */
export interface ScannedFolder {
  readonly path: string;
  readonly names: ReadonlySet<string>;
  readonly folders: ReadonlyMap<string, ScannedFolder>;
}

/**
 * A pattern of the paths in the scanned folder `root` that the plugin must
 * read: the files of `read` (those whose text may spawn), and any entry the
 * scan did not see (a file made since, in a folder not named `node_modules`).
 * The other files it saw are left out, by name, folder by folder.
 */
export function unseenOr(root: ScannedFolder, read: ReadonlySet<string>): RegExp {
  return new RegExp(`^${escape(root.path)}${SEPARATOR}${unseenIn(root, read)}`);
}

function unseenIn(folder: ScannedFolder, read: ReadonlySet<string>): string {
  const seen = [...folder.names].filter((name) => !read.has(`${folder.path}${sep}${name}`));
  const unseen = `${segmentOtherThan([...seen, DEPENDENCIES])}(?:${SEPARATOR}${anyFolders()}${SEGMENT_CHARACTER}*)?$`;
  const deeper = [...folder.folders].map(([name, below]) => `|${escape(name)}${SEPARATOR}${unseenIn(below, read)}`);
  return `(?:${unseen}${deeper.join('')})`;
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

/** `text` as literal characters of a pattern (RE2, Rust's regex and JavaScript's alike), in a character class or out. */
function escape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}
