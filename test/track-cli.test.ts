// `facereid track` as a user runs it (the built dist/): a Y4M file, Y4M on stdin, a folder of
// frames; JSON Lines, the summary, annotated output; and every bad input, with nothing written half.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Y4mReader } from '../io/y4m.js';
import { Clip, reference, SHORT_CLIP, type TruthFace } from './helpers/clip.js';
import { formatScore, scoreClip, type ShownFace } from './helpers/clip-score.js';
import { MODELS, SHARED } from './helpers/shared.js';

const CLI = new URL('../dist/bin/main.js', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'facereid-track-'));
const facereid = (args: string[], input?: Uint8Array) =>
  spawnSync(process.execPath, [CLI, ...args, '--models', MODELS], { encoding: 'utf8', input, maxBuffer: 1 << 26, timeout: 600_000 });

/** A failure: exit 2, one line on stderr naming what is wrong, no stack trace. */
function expectError(r: ReturnType<typeof facereid>, ...fragments: (string | RegExp)[]) {
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n').filter((line) => !line.startsWith('track: '));
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^facereid: /);
  for (const f of fragments) expect(lines[0]).toMatch(f);
}

interface FrameLine { frame: number; file?: string; detected: boolean; faces: (ShownFace & { enrolled: boolean; similarity: number; track: number; landmarks: number[][] })[] }
interface Summary { frames: number; fps: number; identities: { identity: string; enrolled: boolean; firstFrame: number; lastFrame: number; frames: number; tracks: number }[] }

function jsonLines(stdout: string): { frames: FrameLine[]; summary: Summary } {
  const lines = stdout.trim().split('\n').map((line) => JSON.parse(line));
  return { frames: lines.slice(0, -1), summary: lines.at(-1).summary };
}

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

afterAll(() => rmSync(tmp, { recursive: true, force: true })); // the clip alone is 22 MB

describe('facereid track', () => {
  const clipFile = join(tmp, 'short.y4m');
  let truth: TruthFace[][];
  let clip: Clip;
  beforeAll(async () => {
    clip = await Clip.load(SHORT_CLIP);
    clip.writeY4m(clipFile);
    truth = Array.from({ length: clip.frames }, (_, i) => clip.frame(i).truth);
  });

  it('a Y4M file: one JSON line per frame, a summary; the returning person keeps their ID; --out clip.y4m', async () => {
    const out = join(tmp, 'annotated.y4m');
    const r = facereid(['track', clipFile, '--json', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/track: 48 frames, [\d.]+ fps \(per frame: find [\d.]+ ms, embed [\d.]+ ms, track [\d.]+ ms\)\n$/);
    const { frames, summary } = jsonLines(r.stdout);
    expect(frames.map((f) => f.frame)).toEqual([...Array(48).keys()]);
    const score = scoreClip(truth, frames.map((f) => f.faces));
    console.log(formatScore('short clip through the CLI', score));
    expect(score.people.map((p) => [p.person, p.ids.length])).toEqual([['ref1', 1], ['rogge', 1]]);
    expect(score.sharedIds).toEqual([]);
    expect(summary.frames).toBe(48);
    // ref1 was away longer than a track lasts unseen: a second track, the same ID.
    const idOf = Object.fromEntries(score.people.map((p) => [p.person, p.ids[0]]));
    expect(summary.identities.map((i) => [i.identity, i.tracks]).sort()).toEqual([[idOf.ref1, 2], [idOf.rogge, 1]].sort());
    const [face] = frames[20].faces;
    expect(face).toMatchObject({ identity: idOf.rogge, enrolled: false, track: expect.any(Number) });
    expect(face.landmarks).toHaveLength(5);

    const reader = await Y4mReader.open([readFileSync(out)], out);
    expect(reader.header).toMatchObject({ width: 640, height: 480, colourSpace: '420jpeg', frameRate: [25, 1] });
    let count = 0;
    while (await reader.next()) count++;
    expect(count).toBe(48);
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--threads 2: the same frames, faces and identities', () => {
    const [one, two] = [facereid(['track', clipFile, '--json']), facereid(['track', clipFile, '--json', '--threads', '2'])];
    expect(two.status, two.stderr).toBe(0);
    const withoutRate = (stdout: string) => { const { frames, summary } = jsonLines(stdout); return { frames, summary: { ...summary, fps: 0 } }; };
    expect(withoutRate(two.stdout)).toEqual(withoutRate(one.stdout));
  });

  it('a reader that stops after the first line (`| head -n 1`): exit 0, nothing on stderr but progress', async () => {
    const child = spawn(process.execPath, [CLI, 'track', clipFile, '--json', '--models', MODELS]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    child.stdout.once('data', () => child.stdout.destroy()); // the pipe closes, as when `head` has its line
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(status, stderr).toBe(0);
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
  });

  it('Y4M on stdin with a gallery, annotated PNGs in a new folder; the gallery is left as it was', () => {
    const gallery = join(tmp, 'people.json');
    const enrolled = facereid(['enroll', '--gallery', gallery, '--name', 'Ann', `${SHARED}${reference('1_1')}`]);
    expect(enrolled.status, enrolled.stderr).toBe(0);
    const before = readFileSync(gallery, 'utf8');
    const out = join(tmp, 'frames-out');
    const r = facereid(['track', '-', '--gallery', gallery, '--out', out], readFileSync(clipFile));
    expect(r.status, r.stderr).toBe(0);
    const [title, columns, ...rows] = r.stdout.trimEnd().split('\n');
    expect([title, columns]).toEqual(['48 frames, 2 people:', 'identity  enrolled  first frame  last frame  frames seen  tracks']);
    expect(rows.map((row) => row.split(/\s+/)).map(([id, enrolled, , last, , tracks]) => [id, enrolled, last, tracks]).sort())
      .toEqual([['Ann', 'yes', '47', '2'], ['ID_0', 'no', '47', '1']]);
    expect(readdirSync(out)).toHaveLength(48);
    expect(readdirSync(out)[0]).toBe('frame-000001.png');
    expect(readFileSync(gallery, 'utf8')).toBe(before);
  });

  it('a folder of numbered frames, in natural order (frame2 before frame10)', () => {
    const folder = join(tmp, 'frames');
    mkdirSync(folder);
    for (let i = 0; i < 12; i++) {
      const { pixels } = clip.frame(i);
      writeFileSync(join(folder, `frame${i + 1}.png`), encode({ width: pixels.width, height: pixels.height, data: pixels.data, channels: 3 }));
    }
    writeFileSync(join(folder, '.DS_Store'), 'ignored');
    const r = facereid(['track', folder, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const { frames } = jsonLines(r.stdout);
    expect(frames.map((f) => f.file)).toEqual([...Array(12).keys()].map((i) => join(folder, `frame${i + 1}.png`)));
    expect(frames[9].faces.map((f) => f.identity).sort()).toEqual(['ID_0', 'ID_1']);
  });

  describe('bad input: one clear error, nothing written', () => {
    const header = ascii('YUV4MPEG2 W64 H48 F25:1 C420jpeg\n');
    const frame = new Uint8Array(6 + 64 * 48 * 1.5);
    frame.set(ascii('FRAME\n'));
    const y4m = (name: string, ...parts: Uint8Array[]) => {
      const path = join(tmp, name);
      writeFileSync(path, Buffer.concat(parts));
      return path;
    };

    it('a truncated Y4M: the error names the file, the frame and the byte offset; no output file', () => {
      const out = join(tmp, 'never.y4m');
      const file = y4m('cut.y4m', header, frame, frame, frame.subarray(0, 1000));
      expectError(facereid(['track', file, '--out', out]), `cut.y4m: truncated Y4M: frame 3 (byte offset ${header.length + 2 * frame.length}) has 994 of its 4608 bytes`);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });

    it('a truncated stream on stdin', () => {
      expectError(facereid(['track', '-'], Buffer.concat([header, frame.subarray(0, 100)])), /^facereid: stdin: truncated Y4M: frame 1/);
    });

    it('absurd sizes, an unknown colour space, not Y4M at all, no frames', () => {
      expectError(facereid(['track', y4m('huge.y4m', ascii('YUV4MPEG2 W99999 H99999\n'))]), /huge\.y4m: .*frame size 99999x99999 is over the limit/);
      expectError(facereid(['track', y4m('c422.y4m', ascii('YUV4MPEG2 W64 H48 C422\n'))]), /c422\.y4m: .*colour space '422' is not supported/);
      expectError(facereid(['track', `${SHARED}${reference('1_1')}`]), /1_1\.jpg: not a Y4M stream/);
      expectError(facereid(['track', y4m('empty.y4m', header)]), /empty\.y4m: the stream holds no frames/);
    });

    it('a folder with a non-image: named, and no output folder', () => {
      const folder = join(tmp, 'mixed');
      mkdirSync(folder);
      writeFileSync(join(folder, 'frame1.png'), encode({ width: 4, height: 4, data: new Uint8Array(48), channels: 3 }));
      writeFileSync(join(folder, 'notes.txt'), 'not a frame');
      const out = join(tmp, 'mixed-out');
      expectError(facereid(['track', folder, '--out', out]), /mixed\/notes\.txt: not a JPEG or PNG frame/);
      expect(existsSync(out)).toBe(false);
    });

    it('a corrupt frame in a folder stops the run: named, and the output folder is not created', () => {
      const folder = join(tmp, 'corrupt');
      mkdirSync(folder);
      writeFileSync(join(folder, '1.png'), readFileSync(join(tmp, 'frames', 'frame1.png')));
      writeFileSync(join(folder, '2.jpg'), 'garbage');
      const out = join(tmp, 'corrupt-out');
      expectError(facereid(['track', folder, '--out', out]), /corrupt\/2\.jpg: not a JPEG or PNG image/);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });

    it('an output folder that already holds files, a missing input, bad options', () => {
      const full = join(tmp, 'full');
      mkdirSync(full);
      writeFileSync(join(full, 'keep.txt'), 'mine');
      expectError(facereid(['track', clipFile, '--out', full]), /--out .*full: the folder is not empty/);
      expect(readdirSync(full)).toEqual(['keep.txt']);
      expectError(facereid(['track', join(tmp, 'nowhere.y4m')]), /nowhere\.y4m: no such file or folder/);
      expectError(facereid(['track', clipFile, '--detect-every', '0']), /--detect-every <K>' argument '0' is invalid\. expected a whole number from 1 to 1000/);
      expectError(facereid(['track', clipFile, '--gallery', join(tmp, 'missing.json')]), /--gallery .*missing\.json: no such file/);
      expectError(facereid(['track']), /missing required argument 'input'; see facereid track --help/);
    });
  });
});
