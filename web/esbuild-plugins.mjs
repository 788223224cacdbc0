// The esbuild plugins that turn the library into browser code (web/build.mjs, and the tests
// that bundle for Chromium): see web/build.mjs's header for what each one does.

import { builtinModules, createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

/** io/mozjpeg-wasm-node.ts → io/mozjpeg-wasm-browser.ts. */
const mozjpegInBrowser = {
  name: 'mozjpeg-wasm-browser',
  setup(build) {
    build.onResolve({ filter: /\/mozjpeg-wasm-node\.js$/ }, () => ({ path: join(ROOT, 'io', 'mozjpeg-wasm-browser.ts') }));
  },
};

/** `gpu.js` → its self-contained browser build. */
const gpujsInBrowser = {
  name: 'gpujs-browser',
  setup(build) {
    build.onResolve({ filter: /^gpu\.js$/ }, () => ({ path: require.resolve('gpu.js/dist/gpu-browser.js') }));
  },
};

/** Every `node:x` (or bare built-in) import → a module exporting each of x's names as a function that throws. */
const nodeStubs = {
  name: 'node-stubs',
  setup(build) {
    const builtins = new Set(builtinModules);
    build.onResolve({ filter: /^[a-z0-9_:/]+$/ }, ({ path }) => {
      const name = path.replace(/^node:/, '');
      if (!path.startsWith('node:') && !builtins.has(name)) return undefined;
      return { path: name, namespace: 'node-stub' };
    });
    build.onLoad({ filter: /.*/, namespace: 'node-stub' }, async ({ path }) => {
      const names = Object.keys(await import(`node:${path}`)).filter((n) => n !== 'default');
      const lines = [
        `const unavailable = (name) => function () { throw new Error(\`node:${path} \${name}() is not available in the browser\`); };`,
        ...names.map((n, i) => `const _${i} = unavailable(${JSON.stringify(n)}); export { _${i} as ${JSON.stringify(n)} };`),
        `export default { ${names.map((n, i) => `${JSON.stringify(n)}: _${i}`).join(', ')} };`,
      ];
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

export const BROWSER_PLUGINS = [mozjpegInBrowser, gpujsInBrowser, nodeStubs];

/**
 * importer/caffe/index.ts → a module whose functions throw: the Web Workers are sent graphs
 * already imported, and the Caffe importer (with protobufjs) is most of what their bundles would
 * otherwise hold.
 */
const caffeImporterLeftOut = {
  name: 'caffe-importer-left-out',
  setup(build) {
    const importer = join(ROOT, 'importer', 'caffe', 'index.js');
    build.onResolve({ filter: /caffe\/index\.js$/ }, ({ path, resolveDir }) =>
      (join(resolveDir, path) === importer ? { path: 'importer/caffe', namespace: 'left-out' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'left-out' }, () => {
      const unavailable = (name) => `export function ${name}() { throw new Error(${JSON.stringify(`${name}: the Caffe importer is not in a worker's bundle (a worker is sent graphs already imported)`)}); }`;
      return { contents: ['importCaffe', 'loadCaffe'].map(unavailable).join('\n'), loader: 'js' };
    });
  },
};

/** The Web Workers' bundles: the browser's plugins, without the Caffe importer. */
export const WORKER_PLUGINS = [caffeImporterLeftOut, ...BROWSER_PLUGINS];

/** Node-only settings read from the environment take their defaults in the browser. */
export const BROWSER_DEFINE = { 'process.env': '{}' };
