// @ts-check
/** raw.js's worker that imports a package by its bare name, as the runtime's own modules do in a thread. */
import { init, parse } from 'es-module-lexer';

await init;
self.postMessage(parse('import "x";')[0].map((entry) => entry.n));
