// Reading a whole input file (Node only), with an error that names what and where.

import { readFileSync } from 'node:fs';

/** The bytes of the file at `path`; `what` names it in the error ("image", "npy file"). */
export function readFileBytes(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new Error(`cannot read ${what} ${path}: ${reason}`, { cause: error });
  }
}
