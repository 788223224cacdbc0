// The entry of the two-thread detector's worker thread (Node): parallel-service.ts answers on its parent port.

import { parentPort } from 'node:worker_threads';
import { nodeSelf } from '../../engine/worker-link.js';
import { serveDetector } from './parallel-service.js';

if (!parentPort) throw new Error('rmnet/mtcnn/parallel-worker.js is a worker thread\'s entry, not a module to import');
serveDetector(nodeSelf(parentPort));
