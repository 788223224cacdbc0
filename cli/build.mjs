// Bundles the command line: tsc's dist/cli/main.js and everything it imports (commander,
// protobufjs, the engine, …) → dist/bin/main.js plus shared chunks, one file per command's lazy
// part. Node loads a handful of files instead of ~200 modules: `facereid compare a.jpg b.jpg`
// takes ~80 ms less with a warm cache (README, Start-up). The library (dist/index.js) stays unbundled.
//
//   node cli/build.mjs        after `tsc -b` (npm run build runs both)
//
// No command starts worker threads (whose entry files would have to be built beside the bundle).
// What the bundle needs that the modules had by where they lay:
//   - the keys of the WebAssembly and graph caches (engine/wasm/cache.ts and importer/graph-cache.ts
//     hash their source files, which are not beside the bundle): computed here and built in;
//   - `require`, which the CommonJS packages inside (commander, protobufjs) call for Node's own
//     modules: each chunk makes one with createRequire;
//   - gpu.js stays outside (an optional peer dependency, loaded only for a gpu.js device).

import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const DIST = join(ROOT, 'dist');
const OUT = join(DIST, 'bin');
const { generatorHash } = await import(join(DIST, 'engine', 'wasm', 'cache.js'));
const { importerHash } = await import(join(DIST, 'importer', 'graph-cache.js'));
const hash = generatorHash();
const importer = importerHash();
if (typeof hash !== 'string' || typeof importer !== 'string') throw new Error(`cli/build.mjs: cannot hash the WebAssembly generator's or the importer's source under ${DIST}`);

rmSync(OUT, { recursive: true, force: true });
await esbuild.build({
  entryPoints: { main: join(DIST, 'cli', 'main.js') },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['gpu.js'],
  define: { FACEREID_GENERATOR_HASH: JSON.stringify(hash), FACEREID_IMPORTER_HASH: JSON.stringify(importer) },
  banner: { js: "import { createRequire as createRequire_ } from 'node:module'; const require = createRequire_(import.meta.url);" },
  logLevel: 'warning',
});
