// A tiny static server for the page, on 127.0.0.1 only: web/dist/ at /, and the model folder
// (default ../shared/models beside the project) at /models/ — models are read where they lie,
// never copied. GET and HEAD only; nothing outside the two folders is reachable.
//
//   node web/serve.mjs [--port N] [--models DIR] [--dist DIR]     (port 0 or none: a free port)
//
// Prints one line when ready, `facereid web: http://127.0.0.1:PORT/`, which the browser test reads.
// The page is cross-origin isolated (COOP/COEP), so SharedArrayBuffer is there for backends that use it.

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const WEB = dirname(fileURLToPath(import.meta.url));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.txt': 'text/plain; charset=utf-8',
  '.prototxt': 'text/plain; charset=utf-8',
};

/** The file a URL path names inside `root`, or undefined when it would leave the folder. */
function inside(root, path) {
  const file = resolve(root, `.${path}`);
  return file === root || file.startsWith(root + sep) ? file : undefined;
}

/** The server (not yet listening): `dist` at /, `models` at /models/. */
export function createStaticServer({ dist = join(WEB, 'dist'), models = join(WEB, '..', '..', 'shared', 'models') } = {}) {
  const roots = { dist: resolve(dist), models: resolve(models) };
  return createServer(async (request, response) => {
    const send = (status, text) => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(request.method === 'HEAD' ? undefined : `${text}\n`);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'GET or HEAD only');
    let path;
    try {
      path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    } catch {
      return send(400, 'bad path');
    }
    const [root, rest] = path === '/models' || path.startsWith('/models/') ? [roots.models, path.slice('/models'.length)] : [roots.dist, path];
    let file = inside(root, rest.endsWith('/') ? `${rest}index.html` : rest);
    if (!file) return send(403, 'outside the served folders');
    let info;
    try {
      info = await stat(file);
      if (info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file);
      }
    } catch {
      return send(404, `not found: ${path}`);
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-cache',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
    });
    if (request.method === 'HEAD') return response.end();
    createReadStream(file).on('error', () => response.destroy()).pipe(response);
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, models: { type: 'string' }, dist: { type: 'string' } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`facereid web: --port must be a port number, got '${values.port}'`);
    process.exit(2);
  }
  const server = createStaticServer({ models: values.models, dist: values.dist });
  server.on('error', (error) => {
    console.error(`facereid web: ${error.message}`);
    process.exit(2);
  });
  server.listen(port, '127.0.0.1', () => {
    console.log(`facereid web: http://127.0.0.1:${server.address().port}/`);
  });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      server.close(() => process.exit(0));
      server.closeAllConnections();
    });
  }
}
