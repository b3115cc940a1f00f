/** `@sendsync/bundler-plugin` for vite: `plugins: [sendsync()]` (see README.md). */

import { sendsync } from './index.js';

export default sendsync.vite;
