/**
 * The code a newcomer copies from the root README, read from the README
 * itself, so that the pack-and-install test follows the page a user follows
 * and fails when the page stops working.
 */

import { readFileSync } from 'node:fs';

/** The repository's root folder. */
export const repositoryRoot = new URL('../../', import.meta.url);

/** A fenced code block: its language tag and its text. */
export interface CodeBlock {
  readonly lang: string;
  readonly code: string;
}

/**
 * The fenced code blocks of the README section whose `## ` heading is
 * `heading` (up to the next `## ` heading), in order; throws when the
 * section is missing.
 */
export function sectionBlocks(heading: string): CodeBlock[] {
  const readme = readFileSync(new URL('README.md', repositoryRoot), 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no section "## ${heading}"`);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => ({ lang: match[1], code: match[2] }));
}

/** The only block of `lang` in `blocks` that contains `marker`; throws unless there is exactly one. */
export function blockWith(blocks: readonly CodeBlock[], lang: string, marker: string): string {
  const found = blocks.filter((block) => block.lang === lang && block.code.includes(marker));
  if (found.length !== 1) throw new Error(`expected one README \`\`\`${lang} block containing ${JSON.stringify(marker)}, found ${found.length}`);
  return found[0].code;
}

/**
 * The README's first TypeScript example (above its first section): the
 * mistake that tsc and ESLint reject. Its `//` comment lines (the expected
 * errors) are dropped.
 */
export function introExample(): string {
  const readme = readFileSync(new URL('README.md', repositoryRoot), 'utf8');
  const match = /^```ts\n([\s\S]*?)^```$/m.exec(readme.slice(0, readme.indexOf('\n## ')));
  if (match === null) throw new Error('README.md has no ```ts example before its first section');
  return match[1]
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n');
}
