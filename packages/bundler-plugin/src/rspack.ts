/** `@sendsync/bundler-plugin` for Rspack: `plugins: [sendsync()]`, with ES module output (see README.md). */

import { sendsync } from './index.js';

export default sendsync.rspack;
