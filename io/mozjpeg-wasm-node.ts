// Node's way to get mozjpeg's WebAssembly: read the .wasm file shipped inside @jsquash/jpeg.
// The only Node-specific part of JPEG decoding: a browser build replaces this file (fetch the
// .wasm, or let Emscripten locate it next to its glue code).

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

export async function loadMozjpegWasm(): Promise<Uint8Array> {
  return readFile(createRequire(import.meta.url).resolve('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm'));
}
