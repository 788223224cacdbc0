// The gallery: its format (strict schema, limits, version 1 migration, flip), its files (atomic
// writes, refusals that name the user's file, the lock), and identification.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalize } from '../rmnet/embedder.js';
import {
  emptyGallery, enroll, GalleryError, identify, MAX_GALLERY_DEPTH, parseGallery, rank, serializeGallery, type EmbeddingSpace, type Gallery,
} from '../rmnet/gallery.js';
import { readGallery, updateGallery } from '../rmnet/gallery-file.js';
import { bundleChild } from './helpers/gallery.js';

const dir = mkdtempSync(join(tmpdir(), 'facereid-gallery-'));
const unit = (...v: number[]) => normalize(Float32Array.from(v));
const space: EmbeddingSpace = { model: { name: 'm', embeddingSize: 3, probe: [1, 0, 0] }, flip: false };
const flipped: EmbeddingSpace = { ...space, flip: true };
const enrolling = (name: string, ...embeddings: Float32Array[]) => (g: Gallery) => {
  enroll(g, name, embeddings);
  return true;
};
const names = (g: Gallery) => g.identities.map((i) => i.name);
/** The files of `dir` other than `keep` (temporary files, locks). */
const strays = (folder: string, ...keep: string[]) => readdirSync(folder).filter((f) => !keep.includes(f));

describe('gallery format', () => {
  const valid = () => {
    const g = emptyGallery(space);
    enroll(g, 'alice', [unit(1, 0, 0)]);
    identify(g, [unit(0, 1, 0)], 0.5, true);
    return JSON.parse(serializeGallery(g)) as { [field: string]: unknown; model: Record<string, unknown>; identities: Record<string, unknown>[] };
  };
  const refused = (data: unknown, message: RegExp) => {
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    expect(() => parseGallery(text, 'g.json')).toThrow(GalleryError);
    expect(() => parseGallery(text, 'g.json')).toThrow(message);
  };

  it('round trips', () => {
    const g = parseGallery(JSON.stringify(valid()), 'g.json');
    expect(names(g)).toEqual(['alice', 'ID_0']);
    expect(parseGallery(serializeGallery(g), 'g.json')).toEqual(g);
  });

  it('one line per identity; each float32 stored in 9 digits and read back exactly', () => {
    const g = emptyGallery(space);
    const third = Float32Array.of(1 / 3, -2 / 3, 1e-7);
    enroll(g, 'alice', [third, unit(1, 0, 0)]);
    enroll(g, 'bob', [unit(0, 1, 0)]);
    const lines = serializeGallery(g).split('\n');
    expect(lines.filter((l) => l.startsWith('  {"name":'))).toEqual([
      '  {"name":"alice","anonymous":false,"embeddings":[[0.333333343,-0.666666687,1.00000001e-7],[1,0,0]]},',
      '  {"name":"bob","anonymous":false,"embeddings":[[0,1,0]]}',
    ]);
    expect(Float32Array.from(parseGallery(lines.join('\n'), 'g.json').identities[0].embeddings[0])).toEqual(third);
    expect(serializeGallery(emptyGallery(space))).toMatch(/"identities": \[\]\n\}\n$/);
  });

  it('refuses what is not a gallery, naming the file and the place', () => {
    refused('{"format": "facereid-gallery",\n "vers', /^g\.json: not a usable facereid gallery: invalid JSON: .*line 2, column/);
    refused('[1, 2]', /the file holds an array of 2, not a JSON object/);
    refused({ hello: 'world' }, /"format" is undefined, expected "facereid-gallery"/);
    refused({ ...valid(), version: 99 }, /version 99 is not supported/);
    refused({ ...valid(), nextId: -1 }, /"nextId" is -1/);
    refused({ ...valid(), flip: 'yes' }, /"flip" is "yes", expected true or false/);
    const short = valid();
    short.identities[0].embeddings = [[1, 2]];
    refused(short, /identity 0 \("alice"\): embedding 0 has 2 numbers, expected 3/);
    refused(JSON.stringify(valid()).replace('[1,0,0]', '[1,1e999,0]'), /"model"."probe" element 1 is Infinity, not a finite number/);
    const twice = valid();
    twice.identities.push(twice.identities[0]);
    refused(twice, /identity 2 \("alice"\) repeats the name of identity 0/);
    const anonymous = valid();
    anonymous.nextId = 0;
    refused(anonymous, /identity 1 \("ID_0"\) is anonymous but not named ID_n with n below "nextId"/);
    const named = valid();
    named.identities[0].name = 'ID_7';
    refused(named, /"ID_7"\) is a re-identification name but not marked anonymous/);
  });

  it('refuses unknown fields (never drops them) and missing ones, saying which', () => {
    refused({ ...valid(), comment: 'mine' }, /unknown field "comment" in the gallery \(unknown fields are refused, not dropped\)/);
    const model = valid();
    model.model.source = 'x';
    refused(model, /unknown field "source" in "model"/);
    const identity = valid();
    identity.identities[1].seen = 3;
    refused(identity, /unknown field "seen" in identity 1/);
    refused(JSON.stringify(valid()).replace('{', '{"__proto__": {},'), /unknown field "__proto__" in the gallery/);
    const missing = valid();
    delete missing.identities[0].anonymous;
    refused(missing, /identity 0 lacks "anonymous"/);
  });

  it('finding 5: a field nested 20,000 deep is refused before parsing, with its place', () => {
    const deep = `{"format": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    refused(deep, new RegExp(`nested deeper than ${MAX_GALLERY_DEPTH} levels at line 1, column ${11 + MAX_GALLERY_DEPTH}`));
    // Brackets inside strings are not nesting.
    const named = valid();
    named.identities[0].name = '[[[[[[[[[[{{{{{{{{{\\"';
    expect(names(parseGallery(JSON.stringify(named), 'g.json'))[0]).toBe('[[[[[[[[[[{{{{{{{{{\\"');
  });

  it('finding 5: an identity with 130,000 embeddings loads and ranks (no argument spreads)', () => {
    const g = emptyGallery(space);
    const many = Array.from({ length: 130_000 }, (_, i) => unit(1, i / 130_000, 0));
    enroll(g, 'crowd', many);
    const loaded = parseGallery(JSON.stringify(g), 'g.json');
    expect(loaded.identities[0].embeddings.length).toBe(130_000);
    expect(rank(loaded, unit(1, 0, 0))[0].cosine).toBeCloseTo(1, 6);
    expect(identify(loaded, [unit(1, 0, 0)], 0.5, false)[0].name).toBe('crowd');
  });

  it('refuses text over the size limit', () => {
    expect(() => parseGallery(JSON.stringify(valid()), 'g.json', 99)).toThrow(/characters, over the limit of 99 bytes/);
  });

  it('version 1 (no "flip") reads as flip: false, version 2; a "flip" in version 1 is unknown', () => {
    const v1 = valid();
    v1.version = 1;
    delete v1.flip;
    const g = parseGallery(JSON.stringify(v1), 'old.json');
    expect([g.version, g.flip, names(g)]).toEqual([2, false, ['alice', 'ID_0']]);
    refused({ ...valid(), version: 1 }, /unknown field "flip" in the gallery/);
  });
});

describe('one embedding space per gallery', () => {
  it('refuses embeddings of another flip setting, saying what to do; an empty gallery takes theirs', () => {
    const g = parseGallery(serializeGallery((() => { const x = emptyGallery(space); enroll(x, 'a', [unit(1, 0, 0)]); return x; })()), 'g.json');
    const file = join(dir, 'space.json');
    writeFileSync(file, serializeGallery(g));
    expect(() => readGallery(file, flipped)).toThrow(/space\.json: the gallery's embeddings were made without flip-averaging, these with flip-averaging; refusing to mix them: use --no-flip with this gallery \(library: flip: false\), or another gallery file/);
    const empty = join(dir, 'empty-space.json');
    writeFileSync(empty, serializeGallery(emptyGallery(space)));
    expect(readGallery(empty, flipped).flip).toBe(true);
  });

  it('a flip-averaged gallery refuses plain embeddings, and is left untouched', async () => {
    const file = join(dir, 'flipped.json');
    await updateGallery(file, flipped, enrolling('a', unit(1, 0, 0)));
    const before = readFileSync(file, 'utf8');
    expect(JSON.parse(before).flip).toBe(true);
    await expect(updateGallery(file, space, enrolling('b', unit(0, 1, 0)))).rejects.toThrow(/made with flip-averaging, these without flip-averaging; refusing to mix them: use --flip with this gallery/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('refuses another model', () => {
    const file = join(dir, 'foreign.json');
    writeFileSync(file, serializeGallery(emptyGallery({ model: { name: 'other', embeddingSize: 3, probe: [0, 1, 0] }, flip: false })));
    expect(() => readGallery(file, space)).toThrow(/foreign\.json: made with model 'other'/);
  });
});

describe('gallery files', () => {
  it('round trip; a missing file is an empty gallery; a version-1 file is written back as version 2', async () => {
    const file = join(dir, 'round.json');
    expect(readGallery(file, space).identities).toEqual([]);
    const written = await updateGallery(file, space, enrolling('alice', unit(1, 0, 0)));
    expect(readGallery(file, space)).toEqual(written);
    const { flip: _, ...v1 } = { ...JSON.parse(readFileSync(file, 'utf8')), version: 1 };
    writeFileSync(file, JSON.stringify(v1));
    await updateGallery(file, space, enrolling('bob', unit(0, 1, 0)));
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    expect([saved.version, saved.flip, saved.identities.map((i: { name: string }) => i.name)]).toEqual([2, false, ['alice', 'bob']]);
  });

  it('a change that returns false writes nothing (no file is created)', async () => {
    const file = join(dir, 'untouched.json');
    await updateGallery(file, space, () => false);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses corrupt and foreign files without touching them', async () => {
    for (const [name, content] of [['corrupt.json', '{"format": "facereid-gallery", "vers'], ['other.json', '{"hello": "world"}']]) {
      const file = join(dir, name);
      writeFileSync(file, content);
      expect(() => readGallery(file, space, { writable: true }), name).toThrow(/not a usable facereid gallery/);
      await expect(updateGallery(file, space, enrolling('x', unit(1, 0, 0))), name).rejects.toThrow(GalleryError);
      expect(readFileSync(file, 'utf8')).toBe(content);
    }
  });

  it('refuses a file over the size limit before reading it', async () => {
    const file = join(dir, 'big.json');
    writeFileSync(file, ' '.repeat(2000));
    expect(() => readGallery(file, space, { maxBytes: 1000 })).toThrow(/big\.json: 2000 bytes, over the gallery limit of 1000 \(option maxBytes\)/);
    const small = join(dir, 'grows.json');
    await updateGallery(small, space, enrolling('a', unit(1, 0, 0)));
    const before = readFileSync(small, 'utf8');
    await expect(updateGallery(small, space, enrolling('b', unit(0, 1, 0)), { maxBytes: before.length + 10 }))
      .rejects.toThrow(/grows\.json: the gallery would grow to \d+ bytes, over the limit/);
    expect(readFileSync(small, 'utf8')).toBe(before);
  });

  it('finding 6: a gallery that cannot be written is refused up front, naming the user\'s file, not a temporary one', async () => {
    const cases: [string, RegExp][] = [
      [join(dir, 'missing', 'g.json'), /missing\/g\.json: cannot write the gallery: folder .*missing does not exist$/],
      [join(dir, 'round.json', 'g.json'), /round\.json\/g\.json: cannot write the gallery: .*round\.json is not a folder$/],
      [dir, /: cannot write the gallery: a directory is in its place$/],
    ];
    for (const [file, message] of cases) {
      expect(() => readGallery(file, space, { writable: true }), file).toThrow(message);
      await expect(updateGallery(file, space, enrolling('x', unit(1, 0, 0))), file).rejects.toThrow(message);
    }
    const readOnly = join(dir, 'read-only.json');
    await updateGallery(readOnly, space, enrolling('a', unit(1, 0, 0)));
    chmodSync(readOnly, 0o444);
    if (process.getuid?.() !== 0) {
      expect(() => readGallery(readOnly, space, { writable: true })).toThrow(/read-only\.json: cannot write the gallery: the file is not writable/);
    }
    // Reading never needs to write.
    expect(names(readGallery(readOnly, space))).toEqual(['a']);
  });

  it('finding 6: a read-only folder (checked as an unprivileged user)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'facereid-read-only-'));
    chmodSync(folder, 0o755);
    const script = await bundleChild(folder);
    const locked = join(folder, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    chmodSync(locked, 0o555);
    // root ignores permissions: the check then runs as 'nobody'
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = spawnSync(process.execPath, [script, 'check', join(locked, 'g.json')], { encoding: 'utf8', ...asUser });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/locked\/g\.json: cannot write the gallery: folder .*locked is not writable \(permission denied\)/);
  });

  it('a failed write leaves no temporary file and the gallery unchanged', async () => {
    const folder = mkdtempSync(join(dir, 'failed-'));
    const file = join(folder, 'g.json');
    await updateGallery(file, space, enrolling('a', unit(1, 0, 0)));
    const before = readFileSync(file, 'utf8');
    for (const at of ['written', 'synced'] as const) {
      const failing = updateGallery(file, space, enrolling('b', unit(0, 1, 0)), { onStep: (step) => { if (step === at) throw new Error(`disk failed at ${at}`); } });
      await expect(failing).rejects.toThrow(`g.json: cannot write the gallery: disk failed at ${at}`);
      expect(readFileSync(file, 'utf8')).toBe(before);
      expect(strays(folder, 'g.json')).toEqual([]);
    }
  });

  it('follows a symbolic link, keeps the file\'s permissions, refuses a dangling link', async () => {
    const folder = mkdtempSync(join(dir, 'link-'));
    const real = join(folder, 'real.json');
    await updateGallery(real, space, enrolling('a', unit(1, 0, 0)));
    chmodSync(real, 0o640);
    symlinkSync(real, join(folder, 'link.json'));
    await updateGallery(join(folder, 'link.json'), space, enrolling('b', unit(0, 1, 0)));
    expect(names(readGallery(real, space))).toEqual(['a', 'b']);
    expect(statSync(real).mode & 0o777).toBe(0o640);
    symlinkSync(join(folder, 'nowhere.json'), join(folder, 'dangling.json'));
    await expect(updateGallery(join(folder, 'dangling.json'), space, enrolling('c', unit(1, 0, 0))))
      .rejects.toThrow(/dangling\.json: a symbolic link to a missing file/);
  });

  it('the next writer removes what crashed writers left (temporary files, stale locks); nothing else', async () => {
    const folder = mkdtempSync(join(dir, 'stale-'));
    const file = join(folder, 'g.json');
    await updateGallery(file, space, enrolling('a', unit(1, 0, 0)));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // a pid that no longer runs
    writeFileSync(join(folder, `.g.json.${dead}.tmp`), '{"half": ');
    writeFileSync(join(folder, 'g.json.lock'), JSON.stringify({ pid: dead, host: hostname(), since: new Date().toISOString(), token: 't' }));
    const others = ['.g.json.5.123.tmp', '.g.json.x.tmp', '.other.json.12.tmp'];
    for (const name of others) writeFileSync(join(folder, name), '');
    await updateGallery(file, space, enrolling('b', unit(0, 1, 0)), { lockTimeoutMs: 5000 });
    expect(names(readGallery(file, space))).toEqual(['a', 'b']);
    expect(strays(folder, 'g.json').sort()).toEqual(others.sort());
  });

  it('a live holder\'s lock is waited for, then refused naming the holder; an old or foreign one expires', async () => {
    const folder = mkdtempSync(join(dir, 'lock-'));
    const file = join(folder, 'g.json');
    const lock = join(folder, 'g.json.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), since: 'now', token: 't' }));
    await expect(updateGallery(file, space, enrolling('a', unit(1, 0, 0)), { lockTimeoutMs: 300 }))
      .rejects.toThrow(`g.json: another process is writing the gallery: process ${process.pid} on ${hostname()} (since now) holds its lock ${lock}`);
    writeFileSync(lock, JSON.stringify({ pid: 1, host: 'elsewhere', since: 'then', token: 't' }));
    await expect(updateGallery(file, space, enrolling('a', unit(1, 0, 0)), { lockTimeoutMs: 300 })).rejects.toThrow(/process 1 on elsewhere/);
    await updateGallery(file, space, enrolling('a', unit(1, 0, 0)), { lockTimeoutMs: 5000, staleLockMs: 200 });
    writeFileSync(lock, ''); // its creator died before writing it, 3 s ago
    utimesSync(lock, new Date(Date.now() - 3000), new Date(Date.now() - 3000));
    await updateGallery(file, space, enrolling('b', unit(1, 0, 0)), { lockTimeoutMs: 5000 });
    expect(names(readGallery(file, space))).toEqual(['a', 'b']);
    expect(strays(folder, 'g.json')).toEqual([]);
  });
});

describe('identify', () => {
  it('best identity above the threshold; new stable IDs for strangers, matched later', () => {
    const g = emptyGallery(space);
    enroll(g, 'alice', [unit(1, 0, 0)]);
    const first = identify(g, [unit(0.9, 0.1, 0), unit(0, 1, 0)], 0.5, true);
    expect(first.map((m) => [m.name, m.isNew])).toEqual([['alice', false], ['ID_0', true]]);
    const second = identify(g, [unit(0, 0, 1), unit(0.1, 0.95, 0)], 0.5, true);
    expect(second.map((m) => [m.name, m.isNew])).toEqual([['ID_1', true], ['ID_0', false]]);
  });

  it('two faces in one photo never take the same identity', () => {
    const g = emptyGallery(space);
    enroll(g, 'alice', [unit(1, 0, 0)]);
    const m = identify(g, [unit(0.8, 0.2, 0), unit(0.95, 0.05, 0)], 0.5, false);
    expect(m.map((x) => x.name)).toEqual(['unknown', 'alice']);
    expect(m[0].cosine).toBeGreaterThan(0.9);
  });

  it('refuses reserved or empty names, and embeddings of the wrong size or not finite', () => {
    const g = emptyGallery(space);
    expect(() => enroll(g, 'ID_3', [unit(1, 0, 0)])).toThrow(/"ID_3" is reserved/);
    expect(() => enroll(g, '', [unit(1, 0, 0)])).toThrow(/a person's name must have 1 to 256 characters, got ""/);
    expect(() => enroll(g, 'a', [])).toThrow(/needs at least one embedding/);
    expect(() => enroll(g, 'a', [unit(1, 0)])).toThrow(/embedding 0 has 2 numbers, expected 3; nothing was added/);
    expect(() => identify(g, [Float32Array.of(NaN, 0, 0)], 0.5, true)).toThrow(/embedding 0 element 0 is NaN, not a finite number/);
    expect(g.identities).toEqual([]);
  });
});
