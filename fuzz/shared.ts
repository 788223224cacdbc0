// The real files the seeds come from: ../shared beside the project root.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Works from fuzz/ (vitest) and from dist-fuzz/fuzz/ (npm run fuzz): both sit two levels below a sibling of shared/. */
export const SHARED = fileURLToPath(new URL(import.meta.url.includes('/dist-fuzz/') ? '../../../shared/' : '../../shared/', import.meta.url));

/** A file under shared/ as a plain Uint8Array (a Buffer's slice() would share its memory, and mutants must not write into seeds). */
export function readSeed(path: string): Uint8Array {
  return new Uint8Array(readFileSync(`${SHARED}${path}`));
}
