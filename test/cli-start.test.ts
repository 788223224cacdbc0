// The executable's start (cli/start.ts): the command line compiled through V8's code cache, one
// entry per command, made by the first run and read by the next; a damaged entry, or none, only
// means compiling from source; FACEREID_CACHE=off keeps nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { facePath } from './helpers/shared.js';

const CLI = new URL('../dist/bin/main.js', import.meta.url).pathname;

/** The CLI with FACEREID_CACHE set to `cache` (and the default cache folder, were it used, under it). */
function facereid(cache: string, ...args: string[]) {
  const env = { ...process.env, FACEREID_CACHE: cache, XDG_CACHE_HOME: join(cache, 'xdg') };
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000, env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const codeEntries = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.code')).sort();

describe('facereid through the code cache', () => {
  it('the first run of a command stores its compiled code, the next reads it and answers the same', () => {
    const dir = mkdtempSync(join(tmpdir(), 'facereid-start-'));
    const args = ['compare', '--no-detect', facePath('0_0'), facePath('0_1')];
    const first = facereid(dir, ...args);
    expect(first.status, first.stderr).toBe(0);
    const [entry] = codeEntries(dir);
    expect(codeEntries(dir)).toEqual([entry]);
    const made = statSync(join(dir, entry)).ino;

    const second = facereid(dir, ...args);
    expect(second).toEqual(first);
    expect(statSync(join(dir, entry)).ino).toBe(made); // accepted by V8: not written again

    // Another command is another entry; help, --version and typos share one.
    expect(facereid(dir, '--help').status).toBe(0);
    expect(facereid(dir, '--version').status).toBe(0);
    expect(facereid(dir, 'compre').stderr).toMatch(/did you mean compare/);
    expect(codeEntries(dir)).toHaveLength(2);
  });

  it('a damaged entry is compiled past and written again; with the cache off nothing is kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'facereid-start-'));
    const expected = facereid(dir, '--version');
    const [entry] = codeEntries(dir);
    const bytes = readFileSync(join(dir, entry));
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(join(dir, entry), bytes);
    expect(facereid(dir, '--version')).toEqual(expected);
    expect(readFileSync(join(dir, entry))).not.toEqual(bytes);

    const r = spawnSync(process.execPath, [CLI, '--version'], { encoding: 'utf8', env: { ...process.env, FACEREID_CACHE: 'off', XDG_CACHE_HOME: dir + '-xdg' } });
    expect(r.stdout).toBe(expected.stdout);
    expect(readdirSync(dir).filter((f) => !f.endsWith('.code') && !f.endsWith('.wasm') && !f.endsWith('.graph'))).toEqual([]);
    expect(() => readdirSync(dir + '-xdg')).toThrow(/ENOENT/);
  });
});
