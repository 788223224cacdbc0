// The entry of the page's embedding Web Worker (bundled by web/build.mjs beside main.js):
// engine/pool-service.ts answers on the worker's own scope.

import { servePool } from '../engine/pool-service.js';
import { browserSelf, type BrowserEndpoint } from '../engine/worker-link.js';

servePool(browserSelf(self as unknown as BrowserEndpoint));
