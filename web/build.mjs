// Builds the page: web/main.ts and everything it imports → web/dist/main.js (one ES module), the
// two Web Workers' entries (web/detector-worker.ts, web/pool-worker.ts: the second thread) → their
// own modules beside it, plus index.html, style.css and mozjpeg's .wasm. Models are never copied: the page
// fetches them from /models/ (web/serve.mjs serves ../shared/models there).
//
//   node web/build.mjs                 build once (minified, with a source map)
//   node web/build.mjs --outdir DIR    … into DIR instead of web/dist (the browser test builds its own)
//   node web/build.mjs --watch         rebuild on change
//
// What differs from the Node build (web/esbuild-plugins.mjs):
//   - io/mozjpeg-wasm-node.ts (reads the .wasm with node:fs) is replaced by
//     io/mozjpeg-wasm-browser.ts (fetches the copy placed beside the bundle);
//   - `gpu.js` resolves to its browser build (the package's main is Node code needing headless-gl;
//     dist/gpu-browser.js is a self-contained UMD bundle, which esbuild wraps as CommonJS);
//   - `node:*` modules, imported by the library's file-reading code that the page never calls,
//     become stubs whose every export throws "… is not available in the browser";
//   - `process.env` is an empty object, so settings read from the environment take their defaults;
//   - the workers' bundles (a build of their own) leave out the Caffe importer and protobufjs:
//     a worker is sent the graphs the page imported (97 KB instead of 249 for the detector's).

import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BROWSER_DEFINE, BROWSER_PLUGINS, WORKER_PLUGINS } from './esbuild-plugins.mjs';
import * as esbuild from 'esbuild';

const WEB = dirname(fileURLToPath(import.meta.url));
const args = parseArgs({ options: { outdir: { type: 'string' }, watch: { type: 'boolean' } } }).values;
const ROOT = dirname(WEB);
const OUT = resolve(args.outdir ?? join(WEB, 'dist'));
const require = createRequire(import.meta.url);

/** Files copied unchanged into dist/: [source, name in dist]. */
const ASSETS = [
  [join(WEB, 'index.html'), 'index.html'],
  [join(WEB, 'style.css'), 'style.css'],
  [require.resolve('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm'), 'mozjpeg_dec.wasm'],
];

/** The page, and the workers it starts with `new URL('<name>.js', import.meta.url)` (web/models.ts): two builds, the workers' without the Caffe importer. */
const BUNDLES = [
  { entries: ['main'], plugins: BROWSER_PLUGINS },
  { entries: ['detector-worker', 'pool-worker'], plugins: WORKER_PLUGINS },
];
const ENTRIES = BUNDLES.flatMap((b) => b.entries);

const optionsOf = ({ entries, plugins }) => ({
  entryPoints: Object.fromEntries(entries.map((name) => [name, join(WEB, `${name}.ts`)])),
  outdir: OUT,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
  minify: true,
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  legalComments: 'linked',
  define: BROWSER_DEFINE,
  plugins,
});

async function copyAssets() {
  for (const [from, to] of ASSETS) await copyFile(from, join(OUT, to));
}

async function report(metafile, ms) {
  const size = async (name) => `${name} ${((await stat(join(OUT, name))).size / 1024).toFixed(0)} KB`;
  const files = await Promise.all([...ENTRIES.map((name) => `${name}.js`), ...ASSETS.map(([, to]) => to)].map(size));
  const inputs = Object.keys(metafile.inputs).length;
  console.log(`web: built ${relative(ROOT, OUT)}/ in ${ms.toFixed(0)} ms from ${inputs} modules: ${files.join(', ')}`);
}

if (args.watch) {
  await mkdir(OUT, { recursive: true });
  const contexts = await Promise.all(BUNDLES.map((bundle, i) => {
    const options = optionsOf(bundle);
    const assets = { name: 'assets', setup: (b) => b.onEnd(copyAssets) };
    return esbuild.context(i === 0 ? { ...options, plugins: [...options.plugins, assets] } : options);
  }));
  await Promise.all(contexts.map((context) => context.watch()));
  console.log('web: watching; Ctrl-C to stop');
} else {
  const started = performance.now();
  await mkdir(OUT, { recursive: true });
  const results = await Promise.all(BUNDLES.map((bundle) => esbuild.build(optionsOf(bundle))));
  const metafile = {
    inputs: Object.assign({}, ...results.map((r) => r.metafile.inputs)),
    outputs: Object.assign({}, ...results.map((r) => r.metafile.outputs)),
  };
  await copyAssets();
  await writeFile(join(OUT, 'meta.json'), JSON.stringify(metafile));
  await report(metafile, performance.now() - started);
}
