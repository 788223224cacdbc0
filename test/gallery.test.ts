// The gallery file: atomic writes, refusal of corrupt or foreign files, identification logic.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalize } from '../rmnet/embedder.js';
import { emptyGallery, enroll, GalleryError, identify, readGallery, writeGallery, type ModelIdentity } from '../rmnet/gallery.js';

const dir = mkdtempSync(join(tmpdir(), 'facereid-gallery-'));
const unit = (...v: number[]) => normalize(Float32Array.from(v));
const model: ModelIdentity = { name: 'm', embeddingSize: 3, probe: [1, 0, 0] };

describe('gallery file', () => {
  it('round trips, and a missing file is an empty gallery', () => {
    const file = join(dir, 'round.json');
    expect(readGallery(file, model).identities).toEqual([]);
    const g = emptyGallery(model);
    enroll(g, 'alice', [unit(1, 0, 0)]);
    writeGallery(file, g);
    expect(readGallery(file, model)).toEqual(g);
  });

  it('a crash between write and rename leaves the old gallery intact', () => {
    const file = join(dir, 'crash.json');
    const g = emptyGallery(model);
    enroll(g, 'alice', [unit(1, 0, 0)]);
    writeGallery(file, g);
    const before = readFileSync(file, 'utf8');
    enroll(g, 'bob', [unit(0, 1, 0)]);
    expect(() => writeGallery(file, g, { rename: () => { throw new Error('simulated crash'); } })).toThrow('simulated crash');
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readGallery(file, model).identities.map((i) => i.name)).toEqual(['alice']);
    // Only a stray temporary file can remain; the gallery itself is whole.
    expect(readdirSync(dir).filter((f) => f.startsWith('crash'))).toEqual(['crash.json']);
  });

  it('refuses corrupt and foreign files without touching them', () => {
    const cases: [string, string, RegExp][] = [
      ['corrupt.json', '{"format": "facereid-gallery", "vers', /not a usable facereid gallery/],
      ['other.json', '{"hello": "world"}', /"format" is undefined/],
      ['version.json', JSON.stringify({ ...emptyGallery(model), version: 99 }), /version 99 is not supported/],
      ['short.json', JSON.stringify({ ...emptyGallery(model), identities: [{ name: 'x', anonymous: false, embeddings: [[1, 2]] }] }),
        /identity 0 \('x'\) must have embeddings of 3 numbers/],
      ['foreign.json', JSON.stringify(emptyGallery({ name: 'other', embeddingSize: 3, probe: [0, 1, 0] })), /made with model 'other'/],
    ];
    for (const [name, content, message] of cases) {
      const file = join(dir, name);
      writeFileSync(file, content);
      expect(() => readGallery(file, model), name).toThrow(GalleryError);
      expect(() => readGallery(file, model), name).toThrow(message);
      expect(readFileSync(file, 'utf8')).toBe(content);
    }
  });
});

describe('identify', () => {
  it('best identity above the threshold; new stable IDs for strangers, matched later', () => {
    const g = emptyGallery(model);
    enroll(g, 'alice', [unit(1, 0, 0)]);
    const first = identify(g, [unit(0.9, 0.1, 0), unit(0, 1, 0)], 0.5, true);
    expect(first.map((m) => [m.name, m.isNew])).toEqual([['alice', false], ['ID_0', true]]);
    const second = identify(g, [unit(0, 0, 1), unit(0.1, 0.95, 0)], 0.5, true);
    expect(second.map((m) => [m.name, m.isNew])).toEqual([['ID_1', true], ['ID_0', false]]);
  });

  it('two faces in one photo never take the same identity', () => {
    const g = emptyGallery(model);
    enroll(g, 'alice', [unit(1, 0, 0)]);
    const m = identify(g, [unit(0.8, 0.2, 0), unit(0.95, 0.05, 0)], 0.5, false);
    expect(m.map((x) => x.name)).toEqual(['unknown', 'alice']);
    expect(m[0].cosine).toBeGreaterThan(0.9);
  });

  it('reserved names are refused', () => {
    expect(() => enroll(emptyGallery(model), 'ID_3', [unit(1, 0, 0)])).toThrow(/reserved/);
  });
});
