/**
 * The meta-test: every rule has its source file, its index entry, its test,
 * its documentation and a docs URL pointing at that documentation, and the
 * configs enable what they say.
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import plugin from '../src/index.js';
import { ruleDocsUrl } from '../src/util/create-rule.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const names = (folder: string, suffix: string): string[] =>
  readdirSync(`${packageDir}/${folder}`)
    .filter((file) => file.endsWith(suffix) && file !== `index${suffix}`)
    .map((file) => file.slice(0, -suffix.length))
    .sort();

const ruleFiles = names('src/rules', '.ts');
const indexed = Object.keys(plugin.rules).sort();

describe('every rule has its file, index entry, test and documentation', () => {
  it('has six rules', () => {
    expect(ruleFiles).toHaveLength(6);
  });

  it('indexes exactly the rule files', () => {
    expect(indexed).toEqual(ruleFiles);
  });

  it('documents exactly the rule files', () => {
    expect(names('docs/rules', '.md')).toEqual(ruleFiles);
  });

  it('tests exactly the rule files', () => {
    expect(names('tests/rules', '.test.ts')).toEqual(ruleFiles);
  });

  describe.each(ruleFiles)('%s', (name) => {
    const rule = plugin.rules[name as keyof typeof plugin.rules];
    const docs = rule.meta.docs ?? { url: undefined, description: undefined, recommended: undefined, requiresTypeChecking: undefined };
    const doc = existsSync(`${packageDir}/docs/rules/${name}.md`) ? readFileSync(`${packageDir}/docs/rules/${name}.md`, 'utf8') : '';

    it('points its docs URL at its documentation', () => {
      expect(docs.url).toBe(ruleDocsUrl(name));
      expect(docs.url?.endsWith(`/eslint-plugin/docs/rules/${name}.md`)).toBe(true);
    });

    it('opens its documentation with its name and description', () => {
      const [title, , description] = doc.split('\n');
      expect(title).toBe(`# ${name}`);
      expect(description).toBe(`> ${docs.description}.`);
    });

    it('gives incorrect and correct examples, and when not to use it', () => {
      expect(doc).toContain('### ❌ Incorrect');
      expect(doc).toContain('### ✅ Correct');
      expect(doc).toContain('## When not to use it');
    });

    it('says in its documentation whether it has a suggestion', () => {
      expect(doc.includes('💡 Has a suggestion')).toBe(rule.meta.hasSuggestions === true);
    });

    it('says why it needs types, and how to tell a file without them', () => {
      expect(docs.requiresTypeChecking).toBe(true);
      expect(doc).toContain('💭 Requires type information');
      expect(Object.keys(rule.meta.messages)).toContain('noTypeInformation');
    });

    it('is in the configs its docs name', () => {
      const level = plugin.configs.recommended.rules[`sendsync/${name}` as keyof typeof plugin.configs.recommended.rules];
      expect(level).toBe(docs.recommended === 'recommended' ? 'error' : undefined);
      expect(doc.includes('`recommended`')).toBe(docs.recommended === 'recommended');
      expect(plugin.configs.strict.rules[`sendsync/${name}` as keyof typeof plugin.configs.strict.rules]).toBe('error');
      expect(plugin.configs.disableTypeChecked.rules[`sendsync/${name}` as keyof typeof plugin.configs.disableTypeChecked.rules]).toBe('off');
    });
  });
});

describe('the flat configs', () => {
  it('register the plugin under `sendsync`', () => {
    expect(plugin.configs.recommended.plugins.sendsync).toBe(plugin.configs.strict.plugins.sendsync);
    expect(plugin.configs.recommended.plugins.sendsync.rules).toBe(plugin.rules);
    expect(plugin.meta.name).toBe('@sendsync/eslint-plugin');
  });
});
