// The entry of a pool's worker thread (Node): pool-service.ts answers on its parent port.

import { parentPort } from 'node:worker_threads';
import { servePool } from './pool-service.js';
import { nodeSelf } from './worker-link.js';

if (!parentPort) throw new Error('engine/pool-worker.js is a worker thread\'s entry, not a module to import');
servePool(nodeSelf(parentPort));
