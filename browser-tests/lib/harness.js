// @ts-check
/**
 * The browser harness, for the tests and the browser bench: a static server
 * with COOP/COEP (server.js), the import map it serves (import-map.js), and
 * headless Chromium (browser.js).
 */
export { serve, ISOLATION_HEADERS, ROOT } from './server.js';
export { launch, open, CHROMIUM } from './browser.js';
