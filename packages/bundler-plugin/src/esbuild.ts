/** `@sendsync/bundler-plugin` for esbuild: `plugins: [sendsync()]` (see README.md). */

import { sendsync } from './index.js';

export default sendsync.esbuild;
