// Concurrent writers never lose an update (issue 10, finding 7): 2 to 4 child processes at a time
// change one gallery, round after round, each enrolling names and re-identifying strangers (new
// IDs) in updates of their own. At the end every enrollment is there with its embedding, every
// stranger has exactly one ID, the IDs are ID_0 … ID_(n-1), and no lock or temporary file remains.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rank } from '../rmnet/gallery.js';
import { readGallery } from '../rmnet/gallery-file.js';
import { bundleChild, embeddingOf, SPACE } from './helpers/gallery.js';

const CHILDREN = 4;
const ROUNDS = 60;
/** Names each child enrolls per round (then one stranger). */
const NAMES_PER_ROUND = 2;

const dir = mkdtempSync(join(tmpdir(), 'facereid-gallery-concurrency-'));
const script = await bundleChild(dir);
const children: ChildProcess[] = Array.from({ length: CHILDREN }, () => fork(script, ['serve'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }));
afterAll(() => { for (const c of children) c.kill(); });

/** Sends one round's work to a child; resolves when it has done it. */
function work(c: ChildProcess, message: { file: string; names: string[]; strangers: string[] }): Promise<void> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`a child enroller exited (${code}) during the round`));
    c.once('exit', onExit);
    c.once('message', () => {
      c.off('exit', onExit);
      resolve();
    });
    c.send(message);
  });
}

describe('concurrent writers', () => {
  it(`${ROUNDS} rounds of 2 to ${CHILDREN} child processes writing one gallery: nothing lost`, async () => {
    const file = join(dir, 'g.json');
    const enrolled: string[] = [];
    const strangers: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const writers = 2 + (round % (CHILDREN - 1));
      await Promise.all(children.slice(0, writers).map((c, i) => {
        const names = Array.from({ length: NAMES_PER_ROUND }, (_, n) => `r${round}-c${i}-${n}`);
        const stranger = [`stranger-r${round}-c${i}`];
        enrolled.push(...names);
        strangers.push(...stranger);
        return work(c, { file, names, strangers: stranger });
      }));
    }
    const gallery = readGallery(file, SPACE);
    const named = gallery.identities.filter((i) => !i.anonymous);
    expect(named.map((i) => i.name).sort()).toEqual([...enrolled].sort());
    // Stored with 9 significant digits: exactly the same float32 values.
    for (const identity of named) expect(identity.embeddings.map((e) => Float32Array.from(e))).toEqual([embeddingOf(identity.name)]);
    const ids = gallery.identities.filter((i) => i.anonymous);
    expect(ids.map((i) => i.name).sort()).toEqual(strangers.map((_, n) => `ID_${n}`).sort());
    expect(gallery.nextId).toBe(strangers.length);
    for (const s of strangers) expect(rank(gallery, embeddingOf(s))[0].cosine, s).toBeGreaterThan(0.99999);
    expect(readdirSync(dir).filter((f) => f !== 'gallery-child.mjs')).toEqual(['g.json']);
  });
});
