// The pipeline people use most: enroll, identify and re-identify from ordinary photos (CLI, built dist/).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { readImage } from '../io/image.js';
import { facePath, MODELS, MTCNN_DIR } from './helpers/shared.js';

const CLI = new URL('../dist/bin/main.js', import.meta.url).pathname;
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

  it('identify says what it adds to the gallery (stderr and --json); --no-save writes nothing', () => {
    const g = join(tmp, 'said.json');
    const r = facereid('identify', facePath('2_0'), '--gallery', g, '--json');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(`facereid: ${g}: added ID_0\n`);
    expect(JSON.parse(r.stdout)).toMatchObject({ added: ['ID_0'], saved: true });
    const before = readFileSync(g, 'utf8');
    const dry = facereid('identify', facePath('1_0'), '--gallery', g, '--json', '--no-save');
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stderr).toBe(`facereid: ${g}: not saved (--no-save); new IDs for this run only: ID_1\n`);
    expect(JSON.parse(dry.stdout)).toMatchObject({ added: ['ID_1'], saved: false, faces: [{ identity: 'ID_1', new: true }] });
    expect(readFileSync(g, 'utf8')).toBe(before);
    const known = facereid('identify', facePath('2_1'), '--gallery', g);
    expect([known.status, known.stderr]).toEqual([0, '']);
    expect(known.stdout).toMatch(/^ID_0 +cos 0\.\d{3} /);
    expect(readFileSync(g, 'utf8')).toBe(before);
  });

  it('enroll refuses a face that matches another person, naming the match; --force enrolls it', () => {
    const g = join(tmp, 'twice.json');
    expect(facereid('enroll', '--gallery', g, '--name', 'ann', facePath('2_0')).status).toBe(0);
    const more = facereid('enroll', '--gallery', g, '--name', 'ann', facePath('2_2')); // more photos of the same person: no conflict
    expect([more.status, more.stderr]).toEqual([0, '']);
    const before = readFileSync(g, 'utf8');
    const twice = facereid('enroll', '--gallery', g, '--name', 'anne', facePath('2_1'));
    expect(twice.status).toBe(2);
    const [warning, error] = twice.stderr.split('\n');
    expect(warning).toMatch(/^facereid: .*2_1\.jpg: this face matches 'ann' \(cosine 0\.\d{3} >= 0\.34\); not enrolled as 'anne' \(--force enrolls it anyway\)$/);
    expect(error).toBe(`facereid: nothing enrolled: every face matches another person; ${g} unchanged`);
    expect(readFileSync(g, 'utf8')).toBe(before);
    const forced = facereid('enroll', '--gallery', g, '--name', 'anne', '--force', facePath('2_1'));
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/this face matches 'ann' .*; enrolled as 'anne' anyway \(--force\)\n$/);
    expect(JSON.parse(readFileSync(g, 'utf8')).identities.map((i: { name: string }) => i.name)).toEqual(['ann', 'anne']);
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
    expect(r.stdout).toBe(`ann: 2 photo(s) enrolled in ${g}\nbob: 1 photo(s) enrolled in ${g}\n`);
    expect(identify(facePath('2_1'), g, '--no-save')[0].identity).toBe('ann');
  });

  it('--no-detect: enroll and identify take tight face crops whole (one face, the whole image, no landmarks or score; threshold 0.5, no flip)', async () => {
    const g = join(tmp, 'crops.json');
    const e = facereid('enroll', '--gallery', g, '--no-detect', '--name', 'person1', facePath('1_0'), facePath('1_1'));
    expect(e.status, e.stderr).toBe(0);
    expect(JSON.parse(readFileSync(g, 'utf8')).flip).toBe(false);
    const r = facereid('identify', facePath('1_2'), '--gallery', g, '--no-detect', '--json', '--no-save');
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.threshold).toBe(0.5);
    expect(result.faces).toHaveLength(1);
    const [face] = result.faces;
    expect(face).toMatchObject({ identity: 'person1', new: false, landmarks: [] });
    expect(face.score).toBeUndefined();
    const { width, height } = await readImage(facePath('1_2'));
    expect(face.box).toEqual({ x: 0, y: 0, width, height });
  });

  it('compare detects by default: same person above different people', () => {
    const same = facereid('compare', '--json', facePath('0_0'), facePath('0_1'));
    const different = facereid('compare', '--json', facePath('0_0'), facePath('1_0'));
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
    const d = facereid('compare', blank, facePath('0_0'));
    expect(d.status).toBe(2);
    expect(d.stderr).toBe(`facereid: ${blank}: no face found\n`);
    const e = facereid('embed', facePath('0_0'), blank);
    expect(e.status).toBe(2);
    expect(e.stderr).toBe(`facereid: ${blank}: no face found\n`);
  });

  it('an unreadable image', () => {
    const r = facereid('identify', join(tmp, 'missing.jpg'), '--gallery', join(tmp, 'none.json'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/missing\.jpg/);
  });

  it('--folder that does not exist: one line naming it', () => {
    const r = facereid('enroll', '--gallery', join(tmp, 'f.json'), '--folder', '/nonexistent');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('facereid: --folder /nonexistent: no such folder\n');
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

  it('galleries record flip: on by default for detected faces; a gallery made with --no-flip refuses flipped faces, naming the flag', () => {
    const flipped = join(tmp, 'flipped.json');
    const made = facereid('enroll', '--gallery', flipped, '--name', 'person0', facePath('0_0'));
    expect(made.status, made.stderr).toBe(0);
    expect(JSON.parse(readFileSync(flipped, 'utf8')).flip).toBe(true);

    const g = join(tmp, 'plain.json');
    const first = facereid('enroll', '--gallery', g, '--no-flip', '--name', 'person0', facePath('0_0'));
    expect(first.status, first.stderr).toBe(0);
    const before = readFileSync(g, 'utf8');
    expect(JSON.parse(before).flip).toBe(false);
    const again = facereid('enroll', '--gallery', g, '--name', 'person1', join(tmp, 'no-such-photo.jpg'));
    expect(again.status).toBe(2);
    expect(again.stderr).toBe(`facereid: ${g}: the gallery's embeddings were made without flip-averaging, these with flip-averaging; ` +
      'refusing to mix them: use --no-flip with this gallery (library: flip: false), or another gallery file\n');
    expect(readFileSync(g, 'utf8')).toBe(before);
    const plain = facereid('identify', facePath('0_1'), '--gallery', g, '--no-flip', '--json');
    expect(plain.status, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout).faces[0].identity).toBe('person0');
  });
});
