// The child process of the gallery's crash and concurrency tests (bundled by esbuild, run by
// node): enrolls precomputed embeddings through the library, as `facereid enroll` does after
// its slow work, so that many runs fit in a test.
//   crash FILE STEP NAME   enroll NAME, and SIGKILL this process at STEP of the write
//                          (a WriteStep, or 'none'; 'loop' prints "ready", then enrolls NAME-0,
//                          NAME-1 … until killed)
//   check FILE             readGallery(FILE, { writable: true }): prints "ok" or the error message
//   serve                  (forked, IPC) for each message { file, names, strangers }: enroll each
//                          name, then identify each stranger (a new ID), each in an update of
//                          its own; then reply 'done'

import { updateGallery, readGallery, type WriteStep } from '../rmnet/gallery-file.js';
import { enroll, GalleryError, identify, type EmbeddingSpace } from '../rmnet/gallery.js';
import { SPACE, embeddingOf } from './helpers/gallery.js';

const space: EmbeddingSpace = SPACE;

const enrollOne = (file: string, name: string, onStep?: (step: WriteStep) => void) =>
  updateGallery(file, space, (gallery) => {
    enroll(gallery, name, [embeddingOf(name)]);
    return true;
  }, { onStep, lockTimeoutMs: 20_000 });

async function main([command, file, step, name]: string[]): Promise<void> {
  if (command === 'crash') {
    const onStep = (at: WriteStep) => {
      if (at === step) process.kill(process.pid, 'SIGKILL');
    };
    if (step === 'loop') {
      process.stdout.write('ready\n');
      for (let i = 0; ; i++) await enrollOne(file, `${name}-${i}`);
    }
    await enrollOne(file, name, onStep);
  } else if (command === 'check') {
    try {
      readGallery(file, space, { writable: true });
      process.stdout.write('ok\n');
    } catch (error) {
      process.stdout.write(`${error instanceof GalleryError ? '' : 'not a GalleryError: '}${(error as Error).message}\n`);
    }
  } else if (command === 'serve') {
    process.on('message', async ({ file: target, names, strangers }: { file: string; names: string[]; strangers: string[] }) => {
      for (const n of names) await enrollOne(target, n);
      for (const s of strangers) {
        await updateGallery(target, space, (g) => identify(g, [embeddingOf(s)], 0.9999, true)[0].isNew, { lockTimeoutMs: 20_000 });
      }
      process.send!('done');
    });
  } else {
    throw new Error(`gallery-child: unknown command ${command}`);
  }
}

await main(process.argv.slice(2));
