import { parseSync } from 'oxc-parser';
import { describe, expect, it } from 'vitest';
import { calleesOutsideImports, importsFromRecord, importsFromText } from '../dist/imports.js';
import { liftThreads } from '../dist/lift.js';

/*
 * The text's reading of a module's imports decides, without a parse, that
 * most modules spawn nothing: it must read what the parser reads, and give
 * up (the parser then reads it) on any form it does not know.
 */

const FORMS = `import Default, { spawn as go, type Kind, scope } from '@sendsync/runtime';
import * as runtime from "@sendsync/runtime";
import type { Thread } from '@sendsync/runtime';
import {square}from'./helper.js';
import './side-effect.js';
import type from './named-type.js';
`;

describe('importsFromText', () => {
  it('reads the usual forms as the parser does', () => {
    const fromText = importsFromText(FORMS);
    const fromRecord = importsFromRecord(parseSync('forms.ts', FORMS, { sourceType: 'module', lang: 'ts' }).module);
    expect(fromText).toBeDefined();
    expect(Object.fromEntries(fromText!.bindings)).toEqual(Object.fromEntries(fromRecord.bindings));
    expect(Object.fromEntries(fromText!.bindings)).toEqual({
      Default: { specifier: '@sendsync/runtime', imported: 'default' },
      go: { specifier: '@sendsync/runtime', imported: 'spawn' },
      scope: { specifier: '@sendsync/runtime', imported: 'scope' },
      runtime: { specifier: '@sendsync/runtime', imported: '*' },
      square: { specifier: './helper.js', imported: 'square' },
      type: { specifier: './named-type.js', imported: 'default' },
    });
  });

  it.each([
    ['a comment inside the braces', "import { spawn /* the thread API */ as go } from '@sendsync/runtime';"],
    ['a quoted name', "import { 'spawn' as go } from '@sendsync/runtime';"],
    ['no space after import', "import{spawn}from'@sendsync/runtime';"],
    ['an import-equals declaration', "import go = require('@sendsync/runtime');"],
  ])('gives up on %s (the parser reads it)', (_form, code) => {
    expect(importsFromText(code)).toBeUndefined();
  });

  it('finds the names called, constructed or read a member of, outside the import declarations', () => {
    const code =
      "import { spawn, move, Builder } from '@sendsync/runtime';\nimport * as rt from '@sendsync/runtime';\nimport { score } from './job.js';\n" +
      'export const moved = move(1);\nexport const jobs = [score];\nnew Builder();\nrt.spawn;\ngo<number> (x);\n';
    const callees = calleesOutsideImports(code, importsFromText(code)!);
    expect(['move', 'Builder', 'rt', 'go'].filter((name) => callees.has(name))).toEqual(['move', 'Builder', 'rt', 'go']);
    // Named only in its import, or only as a value: it cannot spawn there.
    expect(callees.has('spawn')).toBe(false);
    expect(callees.has('score')).toBe(false);
  });
});

describe('liftThreads reads the imports it cannot read from the text with the parser', () => {
  const lift = (code: string): number =>
    liftThreads(code, '/app/main.ts', {
      runtimeModuleOf: () => undefined,
      reexported: () => undefined,
      reexports: () => false,
      refer: () => ({ module: '"m"', worker: '"w"' }),
    })?.threads.length ?? 0;

  it('lifts a spawn imported with a comment in the braces', () => {
    expect(lift("import { spawn /* the thread API */ as go } from '@sendsync/runtime';\ngo(() => 1);\n")).toBe(1);
  });

  it('lifts a spawn imported in the usual form, and nothing from a module that only imports spawn', () => {
    expect(lift("import { spawn as go } from '@sendsync/runtime';\ngo(() => 1);\n")).toBe(1);
    expect(lift("import { spawn, move } from '@sendsync/runtime';\nexport const moved = move(1);\n")).toBe(0);
  });
});
