// The browser's way to get mozjpeg's WebAssembly: fetch the .wasm file that the web build
// (web/build.mjs) copies next to the bundle. The build puts this file in place of
// mozjpeg-wasm-node.ts; both export the same function.

/** The file name the web build copies @jsquash/jpeg's codec/dec/mozjpeg_dec.wasm to, beside the bundle. */
export const MOZJPEG_WASM_FILE = 'mozjpeg_dec.wasm';

export async function loadMozjpegWasm(): Promise<Uint8Array> {
  const url = new URL(MOZJPEG_WASM_FILE, import.meta.url);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`cannot fetch the JPEG decoder ${url}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) throw new Error(`cannot fetch the JPEG decoder ${url}: HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}
