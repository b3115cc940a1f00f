/** `@sendsync/bundler-plugin` for rollup: `plugins: [sendsync()]` (see README.md). */

import { sendsync } from './index.js';

export default sendsync.rollup;
