/** `@sendsync/bundler-plugin` for webpack: `plugins: [sendsync()]`, with ES module output (see README.md). */

import { sendsync } from './index.js';

export default sendsync.webpack;
