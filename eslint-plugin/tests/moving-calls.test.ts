/**
 * The handles `no-use-after-move` tells to share through an `Arc` (a moved
 * lock's fix), read from the runtime's declarations as the rule reads them.
 */

import { join } from 'node:path';

import ts from 'typescript';
import { describe, expect, it } from 'vitest';

import { isSharedThroughArc } from '../src/util/moving-calls.js';
import { fixturesDir } from './rule-tester.js';

/** Each exported constant of `fixtures/handles.ts`, with whether its type is shared through an `Arc`. */
function verdicts(): Map<string, boolean> {
  const config = ts.getParsedCommandLineOfConfigFile(join(fixturesDir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error('the fixture project has no tsconfig.json');
  const file = join(fixturesDir, 'handles.ts');
  const program = ts.createProgram([file], config.options);
  const checker = program.getTypeChecker();
  const found = new Map<string, boolean>();
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node)) {
      const names = ts.isIdentifier(node.name) ? [node.name] : node.name.elements.flatMap((element) => (ts.isBindingElement(element) && ts.isIdentifier(element.name) ? [element.name] : []));
      for (const name of names) found.set(name.text, isSharedThroughArc(checker.getTypeAtLocation(name)));
    }
    ts.forEachChild(node, visit);
  };
  visit(program.getSourceFile(file)!);
  return found;
}

describe('isSharedThroughArc', () => {
  it('is true of the runtime\'s locks, atomics and Condvar, and false of an Arc, a channel end, an app\'s own Mutex and plain data', () => {
    expect(Object.fromEntries(verdicts())).toEqual({
      lock: true,
      table: true,
      counter: true,
      ready: true,
      shared: false,
      sender: false,
      ownLock: false,
      list: false,
    });
  }, 300_000);
});
