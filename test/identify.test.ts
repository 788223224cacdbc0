// The pipeline people use most: enroll, identify and re-identify from ordinary photos (CLI, built dist/).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { facePath, MODELS, MTCNN_DIR } from './helpers/shared.js';

const CLI = new URL('../dist/cli/main.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'facereid-identify-'));
const facereid = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--models', MODELS], { encoding: 'utf8', timeout: 120_000 });

interface Result { identity: string; new: boolean; cosine: number; box: { x: number; y: number; width: number; height: number }; landmarks: number[][] }
const identify = (image: string, gallery: string, ...extra: string[]) => {
  const r = facereid('identify', image, '--gallery', gallery, '--json', ...extra);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout).faces as Result[];
};

describe('enroll → identify → re-identify', () => {
  const gallery = join(tmp, 'g.json');

  it('a stranger gets a new ID that later photos of the same person match', () => {
    const [first] = identify(facePath('0_0'), gallery);
    expect(first).toMatchObject({ identity: 'ID_0', new: true });
    const [again] = identify(facePath('0_2'), gallery);
    expect(again).toMatchObject({ identity: 'ID_0', new: false });
    expect(again.cosine).toBeGreaterThan(0.5);
    const [other] = identify(facePath('2_1'), gallery);
    expect(other).toMatchObject({ identity: 'ID_1', new: true });
  });

  it('enrolled people are named; two people in one photo get two new IDs and an annotated PNG', () => {
    const e = facereid('enroll', '--gallery', gallery, '--name', 'person1', facePath('1_0'), facePath('1_1'));
    expect(e.status, e.stderr).toBe(0);
    expect(identify(facePath('1_2'), gallery)[0]).toMatchObject({ identity: 'person1', new: false });

    const out = join(tmp, 'annotated.png');
    const faces = identify(`${MTCNN_DIR}test1.jpg`, gallery, '--out', out);
    expect(faces.map((f) => f.identity)).toEqual(['ID_2', 'ID_3']);
    for (const f of faces) {
      for (const [x, y] of f.landmarks) {
        expect(x).toBeGreaterThanOrEqual(f.box.x);
        expect(y).toBeLessThanOrEqual(f.box.y + f.box.height);
      }
    }
    const png = decode(readFileSync(out));
    expect([png.width, png.height]).toEqual([450, 344]);
    const saved = JSON.parse(readFileSync(gallery, 'utf8'));
    expect(saved.identities.map((i: { name: string }) => i.name)).toEqual(['ID_0', 'ID_1', 'person1', 'ID_2', 'ID_3']);
  });

  it('enroll from a folder of name/*.jpg', () => {
    const folder = join(tmp, 'people');
    for (const [name, photo] of [['ann', '2_0'], ['ann', '2_2'], ['bob', '0_1']]) {
      spawnSync('mkdir', ['-p', join(folder, name)]);
      writeFileSync(join(folder, name, `${photo}.jpg`), readFileSync(facePath(photo)));
    }
    const g = join(tmp, 'folder.json');
    const r = facereid('enroll', '--gallery', g, '--folder', folder);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ann: 2 photo\(s\) enrolled\nbob: 1 photo\(s\) enrolled/);
    expect(identify(facePath('2_1'), g, '--no-reid')[0].identity).toBe('ann');
  });

  it('compare --detect: same person above different people', () => {
    const same = facereid('compare', '--detect', '--json', facePath('0_0'), facePath('0_1'));
    const different = facereid('compare', '--detect', '--json', facePath('0_0'), facePath('1_0'));
    expect([same.status, different.status], same.stderr + different.stderr).toEqual([0, 1]);
    expect(JSON.parse(same.stdout).cosine).toBeGreaterThan(JSON.parse(different.stdout).cosine);
  });
});

describe('bad input', () => {
  it('no faces found: a clear result and exit 0', () => {
    const blank = join(tmp, 'blank.png');
    writeFileSync(blank, encode({ width: 64, height: 48, data: new Uint8Array(64 * 48 * 3).fill(200), channels: 3, depth: 8 }));
    const r = facereid('identify', blank, '--gallery', join(tmp, 'none.json'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/no faces found/);
    const d = facereid('compare', '--detect', blank, facePath('0_0'));
    expect(d.status).toBe(2);
    expect(d.stderr).toMatch(/blank\.png: no face found/);
  });

  it('an unreadable image', () => {
    const r = facereid('identify', join(tmp, 'missing.jpg'), '--gallery', join(tmp, 'none.json'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/missing\.jpg/);
  });

  it('an empty gallery with --no-reid says so', () => {
    const r = facereid('identify', facePath('0_0'), '--gallery', join(tmp, 'empty.json'), '--no-reid');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/gallery is empty/);
    expect(r.stdout).toMatch(/unknown/);
  });

  it('a corrupt gallery is refused and left untouched', () => {
    const g = join(tmp, 'corrupt.json');
    writeFileSync(g, '{"format": "facereid-gallery", "version": 1, "model": ');
    const r = facereid('identify', facePath('0_0'), '--gallery', g);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/corrupt\.json: not a usable facereid gallery/);
    expect(readFileSync(g, 'utf8')).toBe('{"format": "facereid-gallery", "version": 1, "model": ');
  });

  it('finding 6: a gallery that cannot be written is refused before any photo is read, naming the gallery', () => {
    const folder = join(tmp, 'no-such-folder');
    const e = facereid('enroll', '--gallery', join(folder, 'g.json'), '--name', 'x', join(tmp, 'no-such-photo.jpg'));
    expect(e.status).toBe(2);
    expect(e.stderr).toBe(`facereid: ${folder}/g.json: cannot write the gallery: folder ${folder} does not exist\n`);
    const i = facereid('identify', join(tmp, 'no-such-photo.jpg'), '--gallery', tmp);
    expect(i.status).toBe(2);
    expect(i.stderr).toBe(`facereid: ${tmp}: cannot write the gallery: a directory is in its place\n`);
    expect(readdirSync(tmp).filter((f) => /\.(tmp|lock)$/.test(f))).toEqual([]);
  });

  it('flip-averaged faces are refused by a gallery made without flip, before the photos are read', () => {
    const g = join(tmp, 'plain.json');
    const first = facereid('enroll', '--gallery', g, '--name', 'person0', facePath('0_0'));
    expect(first.status, first.stderr).toBe(0);
    const before = readFileSync(g, 'utf8');
    expect(JSON.parse(before).flip).toBe(false);
    const flipped = facereid('enroll', '--gallery', g, '--flip', '--name', 'person1', join(tmp, 'no-such-photo.jpg'));
    expect(flipped.status).toBe(2);
    expect(flipped.stderr).toMatch(/plain\.json: the gallery's embeddings were made without flip-averaging \(no --flip\), these with flip-averaging \(--flip\); refusing to mix them/);
    expect(readFileSync(g, 'utf8')).toBe(before);
  });
});
