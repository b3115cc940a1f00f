#!/usr/bin/env node
// @ts-check
/**
 * `npm run serve -w browser-tests`: the test server on its own, to open the
 * pages in a browser by hand (the addresses are printed); Ctrl-C ends it.
 */
import { serve } from './server.js';

const served = await serve();
for (const page of ['raw', 'runtime', 'bench']) process.stdout.write(`${served.urlOf(`/browser-tests/pages/${page}.js`)}\n`);
process.stdout.write(`then, in the page's console: await page.spawnJoin(3) (the exports of browser-tests/pages/<page>.js)\n`);
