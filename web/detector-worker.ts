// The entry of the page's detector Web Worker (bundled by web/build.mjs beside main.js):
// rmnet/mtcnn/parallel-service.ts answers on the worker's own scope.

import { browserSelf, type BrowserEndpoint } from '../engine/worker-link.js';
import { serveDetector } from '../rmnet/mtcnn/parallel-service.js';

serveDetector(browserSelf(self as unknown as BrowserEndpoint));
