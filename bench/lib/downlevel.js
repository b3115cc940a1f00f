// @ts-check
/**
 * Code as users' compilers emit it. Node 20 cannot parse `using`, and a user
 * who compiles with `tsc` for ES2022 (as this repository does) ships the
 * downlevelled form, with its helpers (`__addDisposableResource`,
 * `__disposeResources`) and a disposal record per block. This compiles a
 * snippet with the repository's TypeScript the same way and loads it.
 */
import ts from 'typescript';

/**
 * Compiles a TypeScript module's source for ES2022 and imports it.
 * @param {string} source
 * @returns {Promise<Record<string, Function>>}
 */
export async function importDownlevelled(source) {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 },
  });
  return import(`data:text/javascript,${encodeURIComponent(outputText)}`);
}
