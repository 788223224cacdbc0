// The models that ship in models/ and how models are found: the manifest against the files, the
// search order, the not-found message, and corrupt, altered or unlisted files refused.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ModelError } from '../engine/graph/graph.js';
import { Embedder } from '../rmnet/embedder.js';
import { MANIFEST, readManifest, sha256 } from '../importer/manifest.js';
import { findModel, ModelNotFoundError, modelDirs, packageModels } from '../importer/models.js';
import { RMNET } from '../rmnet/models.js';
import { FaceDetector, findMtcnn } from '../rmnet/mtcnn/index.js';

const PACKAGE = packageModels();
/** The built module, for a process of its own. */
const MANIFEST_JS = new URL('../dist/importer/manifest.js', import.meta.url).pathname;
const temp = () => mkdtempSync(join(tmpdir(), 'facereid-models-'));

/** Empty files at `paths` (relative to `dir`): lookup only checks that they exist. */
function touch(dir: string, ...paths: string[]): string {
  for (const path of paths) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), '');
  }
  return dir;
}

/** A copy of the package's models folder (manifest included), for altering. */
function copyOfPackageModels(): string {
  const dir = temp();
  cpSync(PACKAGE, dir, { recursive: true });
  return dir;
}

afterEach(() => vi.unstubAllEnvs());

describe('models/ in the repository and the package', () => {
  it('the manifest lists every model file with its SHA-256, and each model\'s licence text is there', () => {
    const manifest = readManifest(PACKAGE)!;
    expect(Object.keys(manifest).sort()).toEqual([RMNET, 'mtcnn']);
    const listed = new Set([MANIFEST]);
    for (const [folder, entry] of Object.entries(manifest)) {
      expect(entry.source).toBeTruthy();
      expect(entry.copyright).toBeTruthy();
      expect(readFileSync(join(PACKAGE, folder, entry.licenseFile), 'utf8')).toContain(entry.license === 'MIT' ? 'MIT License' : 'Apache License');
      listed.add(join(folder, entry.licenseFile));
      for (const [file, hash] of Object.entries(entry.files)) {
        expect(sha256(readFileSync(join(PACKAGE, folder, file))), `${folder}/${file}`).toBe(hash);
        listed.add(join(folder, file));
      }
    }
    const present = (readdirSync(PACKAGE, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(PACKAGE.length + 1));
    expect(present.sort()).toEqual([...listed].sort());
  });

  it('with nothing set, RMNet is the FP32 IR and MTCNN the Caffe nets that ship with the package', () => {
    vi.stubEnv('FACEREID_MODELS', '');
    expect(modelDirs()).toEqual([PACKAGE]);
    expect(findModel(RMNET)).toEqual({
      model: join(PACKAGE, RMNET, 'FP32', `${RMNET}.xml`), weights: join(PACKAGE, RMNET, 'FP32', `${RMNET}.bin`),
    });
    expect(findMtcnn().det4).toEqual({ prototxt: join(PACKAGE, 'mtcnn', 'det4.prototxt'), caffemodel: join(PACKAGE, 'mtcnn', 'det4.caffemodel') });
  });
});

describe('lookup', () => {
  it('searches the caller\'s folder, then $FACEREID_MODELS, then the package\'s; in each the IR before the Caffe form', () => {
    const mine = touch(temp(), 'net/net.prototxt', 'net/net.caffemodel');
    const env = touch(temp(), 'net/FP32/net.xml', 'net/FP32/net.bin', 'net/net.prototxt', 'net/net.caffemodel');
    vi.stubEnv('FACEREID_MODELS', env);
    expect(modelDirs(mine)).toEqual([mine, env, PACKAGE]);
    expect(findModel('net', mine).model).toBe(join(mine, 'net', 'net.prototxt'));
    expect(findModel('net').model).toBe(join(env, 'net', 'FP32', 'net.xml'));
    expect(findModel('net', undefined, ['caffe']).model).toBe(join(env, 'net', 'net.prototxt'));
    expect(findModel(RMNET, mine).model).toBe(join(PACKAGE, RMNET, 'FP32', `${RMNET}.xml`));
  });

  it('a models folder named but missing is refused, naming where it was given', () => {
    expect(() => modelDirs('/nonexistent/models')).toThrow('models folder /nonexistent/models not found');
    vi.stubEnv('FACEREID_MODELS', '/nonexistent/env');
    expect(() => modelDirs()).toThrow('models folder /nonexistent/env (FACEREID_MODELS) not found');
  });

  it('a model found nowhere: every place tried, and the library\'s way to name another folder', () => {
    vi.stubEnv('FACEREID_MODELS', '');
    const mine = temp();
    let error: unknown;
    try { findModel('no-such-model', mine); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ModelNotFoundError);
    const { message, tried } = error as ModelNotFoundError;
    expect(tried).toEqual([mine, PACKAGE].flatMap((dir) => [
      join(dir, 'no-such-model', 'FP32', 'no-such-model.{xml,bin}'), join(dir, 'no-such-model', 'no-such-model.{prototxt,caffemodel}')]));
    expect(message).toBe(`model 'no-such-model' not found; tried:\n  ${tried.join('\n  ')}\n` +
      '(give { models: DIR } or set FACEREID_MODELS to a folder holding no-such-model/)');
    expect((error as ModelNotFoundError).explain('--models DIR')).toContain('(give --models DIR or set FACEREID_MODELS');
  });
});

describe('the manifest guards the files', () => {
  it('an altered model file is refused, naming the file and both hashes', async () => {
    const dir = copyOfPackageModels();
    const file = join(dir, 'mtcnn', 'det2.caffemodel');
    const bytes = readFileSync(file);
    const listed = sha256(bytes);
    bytes[bytes.length >> 1] ^= 1;
    writeFileSync(file, bytes);
    const message = `${file}: SHA-256 is ${sha256(bytes)} but ${join(dir, MANIFEST)} lists ${listed}: the file is corrupt or altered`;
    expect(() => findMtcnn(dir)).toThrow(message);
    await expect(FaceDetector.load({ models: dir })).rejects.toThrow(message);
  });

  it('a byte altered past the first megabyte (files are hashed a megabyte at a time) is refused', () => {
    const dir = copyOfPackageModels();
    const file = join(dir, 'mtcnn', 'det4.caffemodel');
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(3 << 20);
    const listed = sha256(bytes);
    bytes[(3 << 20) + 5] ^= 0x40;
    writeFileSync(file, bytes);
    expect(() => findMtcnn(dir)).toThrow(`${file}: SHA-256 is ${sha256(bytes)} but ${join(dir, MANIFEST)} lists ${listed}: the file is corrupt or altered`);
  });

  it('a file\'s digest is kept in the cache: a later process does not read the file again, and any write to it has it read again', () => {
    const cache = temp(), file = join(temp(), 'model.bin');
    writeFileSync(file, 'abc');
    const digestIn = () => execFileSync(process.execPath, ['--input-type=module', '-e',
      `const m = await import(${JSON.stringify(MANIFEST_JS)}); process.stdout.write(m.fileSha256(${JSON.stringify(file)}));`],
    { env: { ...process.env, FACEREID_CACHE: cache } }).toString();
    expect(digestIn()).toBe(sha256(Buffer.from('abc')));
    const [entry] = readdirSync(cache).filter((name) => name.endsWith('.digest'));
    // Another digest planted in the entry (its CRC-32 made right) is believed: the file was not read.
    const planted = Buffer.alloc(32, 0x11), check = Buffer.alloc(4);
    check.writeUInt32LE(crc32(planted));
    writeFileSync(join(cache, entry), Buffer.concat([planted, check]));
    expect(digestIn()).toBe('11'.repeat(32));
    // The same size and modification time, other bytes: the change time tells.
    const { atime, mtime } = statSync(file);
    writeFileSync(file, 'abd');
    utimesSync(file, atime, mtime);
    expect(digestIn()).toBe(sha256(Buffer.from('abd')));
  });

  it('a truncated IR is refused before it is imported', async () => {
    const dir = copyOfPackageModels();
    const file = join(dir, RMNET, 'FP32', `${RMNET}.bin`);
    writeFileSync(file, readFileSync(file).subarray(0, 1000));
    await expect(Embedder.load({ models: dir })).rejects.toThrow(new RegExp(`^${file}: SHA-256 is [0-9a-f]{64} but .* lists [0-9a-f]{64}`));
  });

  it('a file the manifest does not list is refused; a model the manifest does not know is not checked', () => {
    const dir = copyOfPackageModels();
    touch(dir, `${RMNET}/${RMNET}.prototxt`, `${RMNET}/${RMNET}.caffemodel`, 'other/other.prototxt', 'other/other.caffemodel');
    expect(() => findModel(RMNET, dir, ['caffe'])).toThrow(`${join(dir, RMNET, `${RMNET}.prototxt`)}: not listed in ${join(dir, MANIFEST)}`);
    expect(findModel('other', dir).model).toBe(join(dir, 'other', 'other.prototxt'));
  });

  it('a malformed manifest is refused, naming it', () => {
    const dir = touch(temp(), 'net/net.prototxt', 'net/net.caffemodel');
    writeFileSync(join(dir, MANIFEST), '{ "net": ');
    expect(() => findModel('net', dir)).toThrow(new RegExp(`^${join(dir, MANIFEST)}: not a readable manifest`));
    writeFileSync(join(dir, MANIFEST), '{ "net": { "files": { "net.prototxt": "abc" } } }');
    expect(() => findModel('net', dir)).toThrow(ModelError);
    expect(() => findModel('net', dir)).toThrow(`${join(dir, MANIFEST)}: 'net' needs "files": { path: SHA-256 as 64 hex digits, … }`);
  });
});
