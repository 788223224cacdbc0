// The page: open photos → faces detected (boxes, landmarks), aligned (128x128 crops), embedded
// and identified against a gallery kept in the page; two faces compared; a device picked, and
// its timings shown. Plain DOM. The test drives it through `window.facereid` (see hook below).

import { cosine } from '../rmnet/embedder.js';
import { GalleryError, identify, spaceOf, type Match } from '../rmnet/gallery.js';
import { ALIGNED_THRESHOLD } from '../rmnet/verify.js';
import { compile } from '../engine/compile.js';
import type { Graph } from '../engine/graph/graph.js';
import { Camera, type CameraHook } from './camera.js';
import { backendOf, isDevice, probeDevices, type Device, type DeviceInfo } from './devices.js';
import { $ } from './dom.js';
import { displaySize, drawCrop, drawPhoto, zoomOf, type FaceLabel } from './draw.js';
import { GalleryStore } from './gallery-store.js';
import { deviceLabel, fetchModels, Pipelines, threadable, type Threads } from './models.js';
import { processPhoto, type ProcessedPhoto } from './photo.js';
import { againstPublished, REFERENCE_FACES, runReference } from './reference.js';
import { Timings } from './timings.js';

/** What the browser test calls. */
export interface FacereidHook {
  /** Settles when the models are loaded and the page is usable (rejects if they could not be). */
  ready: Promise<void>;
  devices(): Promise<DeviceInfo[]>;
  /**
   * Embeds the 9 reference inputs on a device, one at a time; `ms` for all 9. With `warmUp`
   * (default true) a run on one face compiles the net first (`firstMs`), so `ms` is the net alone.
   */
  embedReference(device: string, options?: { warmUp?: boolean }): Promise<{ device: string; embeddings: number[][]; ms: number; firstMs?: number }>;
  /**
   * Times one-node graphs (the benchmark's kernel cases) on a device. Each case's `json` is
   * `{ graph, inputs }` with every Float32Array written as `{ "$f32": [...] }`. The graph is compiled
   * alone (no passes), run twice to warm up, then `runs` samples of `await net.runAsync(inputs)`, each
   * sample as many calls as fill about 2 ms (performance.now() is coarse) divided by their number.
   */
  timeKernels(device: string, cases: KernelCaseJson[]): Promise<KernelTiming[]>;
  /**
   * A photo (its encoded bytes) detected, aligned and embedded as opening it does, on a device
   * with 1 or 2 threads (2: the Web Workers); nothing is shown or enrolled.
   */
  processPhoto(bytes: number[], device: string, threads: 1 | 2): Promise<{ boxes: number[][]; embeddings: number[][]; detectMs: number; embedMs: number }>;
  /** Camera mode (web/camera.ts). */
  camera: CameraHook;
}

export interface KernelCaseJson {
  label: string;
  json: string;
  runs: number;
}
export interface KernelTiming {
  label: string;
  /** Microseconds per call, one per sample. */
  samplesUs: number[];
  /** Calls per sample. */
  calls: number;
  compileMs: number;
}

/** JSON.parse reviver for the `{ "$f32": [...] }` encoding of Float32Arrays. */
const reviveF32 = (_: string, value: unknown) =>
  value && typeof value === 'object' && Array.isArray((value as { $f32?: unknown }).$f32) ? Float32Array.from((value as { $f32: number[] }).$f32) : value;

async function timeKernel(device: Device, c: KernelCaseJson): Promise<KernelTiming> {
  const { graph, inputs } = JSON.parse(c.json, reviveF32) as { graph: Graph; inputs: Record<string, Float32Array> };
  const t0 = performance.now();
  const net = compile(graph, { optimize: false, backend: await backendOf(device) });
  await net.runAsync(inputs);
  const compileMs = performance.now() - t0;
  const t1 = performance.now();
  await net.runAsync(inputs);
  const once = Math.max(performance.now() - t1, 1e-3);
  const calls = Math.max(1, Math.min(1000, Math.ceil(2 / once)));
  const samplesUs: number[] = [];
  for (let i = 0; i < c.runs; i++) {
    const start = performance.now();
    for (let j = 0; j < calls; j++) await net.runAsync(inputs);
    samplesUs.push(((performance.now() - start) * 1e3) / calls);
  }
  return { label: c.label, samplesUs, calls, compileMs };
}

declare global {
  interface Window {
    facereid: FacereidHook;
  }
}

const ui = {
  status: $<HTMLParagraphElement>('#status'),
  device: $<HTMLSelectElement>('#device'),
  threads: $<HTMLSelectElement>('#threads'),
  drop: $('#drop'),
  files: $<HTMLInputElement>('#files'),
  photos: $('#photos'),
  slots: { a: $('#slot-a'), b: $('#slot-b') },
  verdict: $('#verdict'),
  threshold: $<HTMLInputElement>('#threshold'),
  reidentify: $<HTMLInputElement>('#reidentify'),
  clearGallery: $<HTMLButtonElement>('#clear-gallery'),
  galleryNotice: $('#gallery-notice'),
  identities: $('#identities'),
  check: $<HTMLButtonElement>('#check'),
  checkResult: $('#check-result'),
  photoTemplate: $<HTMLTemplateElement>('#photo-template'),
  faceTemplate: $<HTMLTemplateElement>('#face-template'),
};

function status(text: string, state: 'loading' | 'ready' | 'busy' | 'error' = 'ready'): void {
  ui.status.textContent = text;
  ui.status.dataset.state = state;
}

/** One task at a time: each compiled net owns one arena, so runs must not interleave. */
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}
/** Lets the browser paint before a long synchronous stretch (detection); a hidden tab, which gets no frames, goes on after 50 ms. */
const paint = () => new Promise((resolve) => {
  requestAnimationFrame(() => setTimeout(resolve, 0));
  setTimeout(resolve, 50);
});

interface PhotoEntry {
  result: ProcessedPhoto;
  element: HTMLElement;
  matches: Match[];
}
interface FaceRef {
  photo: PhotoEntry;
  index: number;
}
type Slot = 'a' | 'b';

const photos: PhotoEntry[] = [];
const slots: Partial<Record<Slot, FaceRef>> = {};
let pipelines: Pipelines;
let store: GalleryStore;
let devices: DeviceInfo[] = [];
let timings: Timings;
const DEVICE_KEY = 'facereid.device';
const THREADS_KEY = 'facereid.threads';
const camera = new Camera({
  serial,
  pipeline: () => pipelines.get(currentDevice(), currentThreads()),
  store: () => store,
  threshold: () => threshold(),
  enrolled: () => relabel(),
  notice: (message) => {
    ui.galleryNotice.textContent = message;
    ui.galleryNotice.hidden = false;
  },
});

ui.threshold.value = String(ALIGNED_THRESHOLD);
const threshold = () => {
  const value = Number(ui.threshold.value);
  return Number.isFinite(value) ? value : ALIGNED_THRESHOLD;
};
const currentDevice = (): Device => (isDevice(ui.device.value) ? ui.device.value : 'cpu');
const currentThreads = (): Threads => (ui.threads.value === '2' ? 2 : 1);
/** The device picked and its threads, as the timings name them. */
const currentLabel = () => deviceLabel(currentDevice(), currentThreads());

function labelOf(match: Match): FaceLabel {
  if (match.name === 'unknown') return { text: `unknown (best ${match.cosine.toFixed(2)})`, known: false };
  return { text: match.isNew ? `${match.name} (new)` : `${match.name} ${match.cosine.toFixed(2)}`, known: !match.anonymous };
}

// ---- photos -------------------------------------------------------------------------------

/** Photos chosen together go on top of the earlier ones, in the order they were chosen. */
function openPhotos(files: Iterable<File>): void {
  const elements = [...files].map((file) => {
    const element = ui.photoTemplate.content.firstElementChild!.cloneNode(true) as HTMLElement;
    $('.name', element).textContent = file.name;
    serial(() => handlePhoto(file, element)).catch((error: Error) => {
      // The library's messages about a file start with its name; the card shows it already.
      const message = error.message.startsWith(`${file.name}: `) ? error.message.slice(file.name.length + 2) : error.message;
      element.dataset.state = 'error';
      $('.info', element).textContent = message;
      status(`${file.name}: ${message}`, 'error');
    });
    return element;
  });
  ui.photos.prepend(...elements);
}

async function handlePhoto(file: File, element: HTMLElement): Promise<void> {
  const device = currentLabel();
  status(`${file.name}: detecting and embedding on ${device}…`, 'busy');
  await paint();
  const result = await processPhoto(file, file.name, await pipelines.get(currentDevice(), currentThreads()));
  timings.detect(result.detectDevice, result.detectMs);
  timings.embed(result.embedDevice, result.embedMs, result.faces.length);
  timings.render(device);
  const matches = store.identify(result.embeddings, threshold(), ui.reidentify.checked);
  const entry: PhotoEntry = { result, element, matches };
  photos.push(entry);

  const n = result.faces.length;
  const perFace = n > 0 ? ` · embed ${(result.embedMs / n).toFixed(1)} ms/face (${result.embedDevice})` : '';
  $('.info', element).textContent = `${result.pixels.width}×${result.pixels.height} · ${n} face${n === 1 ? '' : 's'}` +
    ` · decode ${result.decodeMs.toFixed(0)} ms · detect ${result.detectMs.toFixed(0)} ms (${result.detectDevice})${perFace}`;
  const faces = $('.faces', element);
  result.faces.forEach((_, index) => faces.append(faceElement(entry, index)));
  renderPhoto(entry);
  // The card as wide as the photo is shown (at least enough for its crops), so small photos sit side by side.
  const shown = displaySize(result.pixels.width * zoomOf(result.pixels), result.pixels.height * zoomOf(result.pixels));
  element.style.width = `${Math.max(shown.width, 320) + 30}px`;
  element.dataset.faces = String(n);
  element.dataset.state = 'done';

  // The newest photo's largest face goes to the comparison: into A while A is empty, else into B.
  if (n > 0) {
    const area = (i: number) => result.faces[i].box.width * result.faces[i].box.height;
    const largest = result.faces.reduce((best, _, i) => (area(i) > area(best) ? i : best), 0);
    setSlot(slots.a ? 'b' : 'a', { photo: entry, index: largest });
  }
  renderGallery();
  status(`${file.name}: ${n} face${n === 1 ? '' : 's'} found. Ready (${device}).`);
}

function faceElement(entry: PhotoEntry, index: number): HTMLElement {
  const figure = ui.faceTemplate.content.firstElementChild!.cloneNode(true) as HTMLElement;
  figure.dataset.face = String(index);
  drawCrop($<HTMLCanvasElement>('canvas', figure), entry.result.aligned, index);
  for (const button of figure.querySelectorAll<HTMLButtonElement>('button[data-slot]')) {
    button.addEventListener('click', () => setSlot(button.dataset.slot as Slot, { photo: entry, index }));
  }
  const form = $<HTMLFormElement>('form.enroll', figure);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = $<HTMLInputElement>('input', form);
    const match = entry.matches[index];
    try {
      store.enroll(input.value.trim(), entry.result.embeddings[index], match.anonymous ? match.name : undefined);
      input.value = '';
      ui.galleryNotice.hidden = true;
    } catch (error) {
      if (!(error instanceof GalleryError)) throw error;
      ui.galleryNotice.textContent = error.message;
      ui.galleryNotice.hidden = false;
    }
    relabel();
  });
  return figure;
}

function renderPhoto(entry: PhotoEntry): void {
  const labels = entry.matches.map(labelOf);
  drawPhoto($<HTMLCanvasElement>('canvas.annotated', entry.element), entry.result.pixels, entry.result.faces, labels);
  entry.element.querySelectorAll<HTMLElement>('.face').forEach((figure, i) => {
    const label = $('.label', figure);
    label.textContent = `${i + 1}. ${labels[i].text}`;
    label.className = `label ${labels[i].known ? 'known' : 'anonymous'}`;
  });
}

/** Every photo's faces identified again against the gallery as it is now (no new IDs); the camera's tracker made anew. */
function relabel(): void {
  for (const entry of photos) {
    entry.matches = identify(store.gallery, entry.result.embeddings, threshold(), false);
    renderPhoto(entry);
  }
  renderGallery();
  renderVerdict();
  camera.galleryChanged();
}

// ---- compare ------------------------------------------------------------------------------

function setSlot(slot: Slot, face: FaceRef): void {
  slots[slot] = face;
  const figure = ui.slots[slot];
  drawCrop($<HTMLCanvasElement>('canvas', figure), face.photo.result.aligned, face.index);
  $('figcaption', figure).textContent = `${slot.toUpperCase()}: ${face.photo.result.name}, face ${face.index + 1}`;
  figure.dataset.empty = 'false';
  for (const entry of photos) {
    entry.element.querySelectorAll<HTMLElement>('.face').forEach((element, i) => {
      for (const s of ['a', 'b'] as const) element.classList.toggle(`slot-${s}`, slots[s]?.photo === entry && slots[s]?.index === i);
    });
  }
  renderVerdict();
}

function renderVerdict(): void {
  const { a, b } = slots;
  if (!a || !b) return;
  const similarity = cosine(a.photo.result.embeddings[a.index], b.photo.result.embeddings[b.index]);
  const same = similarity >= threshold();
  ui.verdict.dataset.verdict = same ? 'same' : 'different';
  ui.verdict.dataset.cosine = String(similarity);
  ui.verdict.innerHTML = `cosine <b>${similarity.toFixed(4)}</b>: <b>${same ? 'same person' : 'different people'}</b>` +
    ` <span class="small">(threshold ${threshold()})</span>`;
}

// ---- gallery ------------------------------------------------------------------------------

function renderGallery(): void {
  ui.identities.replaceChildren(...store.gallery.identities.map((identity) => {
    const li = document.createElement('li');
    li.classList.toggle('anonymous', identity.anonymous);
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = identity.name;
    const count = document.createElement('span');
    count.className = 'small';
    count.textContent = `${identity.embeddings.length} face${identity.embeddings.length === 1 ? '' : 's'}${identity.anonymous ? ', re-identified' : ''}`;
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = '×';
    remove.title = `forget ${identity.name}`;
    remove.addEventListener('click', () => {
      store.remove(identity.name);
      relabel();
    });
    li.append(name, count, remove);
    return li;
  }));
}

// ---- devices and the reference check --------------------------------------------------------

async function checkReference(device: Device, threads: Threads = 1, warmUp = true) {
  const run = await runReference(await pipelines.embedder(device, threads), warmUp);
  const cosines = await againstPublished(run.embeddings);
  const worst = Math.min(...cosines);
  timings.reference(deviceLabel(device, threads), run.ms / REFERENCE_FACES.length, run.firstMs, worst);
  timings.render(currentLabel());
  return { ...run, worst };
}

function fillDevices(): void {
  let saved: string | null = null;
  try { saved = localStorage.getItem(DEVICE_KEY); } catch { /* no storage: the default device */ }
  const usable = devices.filter((d) => d.available).map((d) => d.device);
  const chosen = saved && usable.includes(saved as Device) ? saved : usable.includes('simd') ? 'simd' : 'cpu';
  ui.device.replaceChildren(...devices.map(({ device, available, reason, relaxedSimd }) => {
    const text = !available ? `${device} (unavailable)` : relaxedSimd ? `${device} (relaxed SIMD)` : device;
    const option = new Option(text, device, false, device === chosen);
    option.disabled = !available;
    if (reason) option.title = reason;
    if (relaxedSimd) option.title = 'WebAssembly SIMD with relaxed SIMD\'s fused multiply-add (f32x4.relaxed_madd)';
    return option;
  }));
  ui.device.disabled = false;
  let threads: string | null = null;
  try { threads = localStorage.getItem(THREADS_KEY); } catch { /* no storage: the default */ }
  // Unless chosen before: two threads where the browser reports 4 cores or more (on 2 the workers
  // compete with the browser's own threads: bench/NOTES.md §28).
  ui.threads.value = threads === '1' || threads === '2' ? threads : navigator.hardwareConcurrency >= 4 ? '2' : '1';
  fillThreads();
}

/** Threads serve cpu and simd only (the others run their kernels off this thread already). */
function fillThreads(): void {
  ui.threads.disabled = !threadable(currentDevice());
}

/** After the device or the threads changed: the pipeline prepared, and the status said. */
function switchPipeline(): void {
  const device = currentDevice(), label = currentLabel();
  timings.render(label);
  status(`Preparing ${label}…`, 'busy');
  serial(() => pipelines.get(device, currentThreads())).then(
    ({ detectDevice, detectLabel }) => status(`Ready (${label}${detectDevice !== device ? `; detection runs on ${detectLabel}` : ''}).`),
    (error: Error) => status(`${label}: ${error.message}`, 'error'),
  );
}

// ---- start ----------------------------------------------------------------------------------

async function boot(): Promise<void> {
  const started = performance.now();
  const [models, found] = await Promise.all([fetchModels(), probeDevices()]);
  devices = found;
  const fallback: Device = devices.some((d) => d.device === 'simd' && d.available) ? 'simd' : 'cpu';
  pipelines = new Pipelines(models, fallback);
  store = GalleryStore.open(await spaceOf(await pipelines.embedder('cpu')));
  if (store.notice) {
    ui.galleryNotice.textContent = store.notice;
    ui.galleryNotice.hidden = false;
  }
  timings = new Timings($<HTMLTableSectionElement>('#timing-rows'));
  fillDevices();
  renderGallery();
  ui.check.disabled = false;
  camera.enable();
  const usable = devices.filter((d) => d.available).map((d) => d.device);
  status(`Ready: 5 nets imported in ${(performance.now() - started).toFixed(0)} ms. Devices here: ${usable.join(', ')}.`);
  serial(() => pipelines.get(currentDevice(), currentThreads())).catch((error: Error) => status(`${currentLabel()}: ${error.message}`, 'error'));
}

function wire(): void {
  ui.files.addEventListener('change', () => {
    openPhotos(ui.files.files ?? []);
    ui.files.value = '';
  });
  for (const type of ['dragenter', 'dragover'] as const) {
    document.addEventListener(type, (event) => {
      event.preventDefault();
      ui.drop.classList.add('over');
    });
  }
  document.addEventListener('dragleave', (event) => {
    if (!event.relatedTarget) ui.drop.classList.remove('over');
  });
  document.addEventListener('drop', (event) => {
    event.preventDefault();
    ui.drop.classList.remove('over');
    const files = [...(event.dataTransfer?.files ?? [])].filter((f) => f.type.startsWith('image/') || /\.(jpe?g|png)$/i.test(f.name));
    openPhotos(files);
  });
  ui.device.addEventListener('change', () => {
    try { localStorage.setItem(DEVICE_KEY, currentDevice()); } catch { /* remembered for this visit only */ }
    fillThreads();
    switchPipeline();
  });
  ui.threads.addEventListener('change', () => {
    try { localStorage.setItem(THREADS_KEY, ui.threads.value); } catch { /* remembered for this visit only */ }
    switchPipeline();
  });
  ui.threshold.addEventListener('change', relabel);
  ui.clearGallery.addEventListener('click', () => {
    store.clear();
    relabel();
  });
  ui.check.addEventListener('click', () => {
    const device = currentLabel();
    ui.check.disabled = true;
    ui.checkResult.textContent = `Running the 9 reference faces on ${device}…`;
    serial(() => checkReference(currentDevice(), currentThreads())).then(
      ({ worst, ms, firstMs }) => {
        ui.checkResult.textContent = `${device}: worst cosine to the published embeddings ${worst.toFixed(6)}; ` +
          `${(ms / REFERENCE_FACES.length).toFixed(1)} ms/face (warm-up, compiling: ${firstMs?.toFixed(0)} ms).`;
      },
      (error: Error) => { ui.checkResult.textContent = `${device}: ${error.message}`; },
    ).finally(() => { ui.check.disabled = false; });
  });
}

wire();
const ready = boot();
ready.catch((error: Error) => status(`Could not start: ${error.message}`, 'error'));

window.facereid = {
  ready,
  camera: camera.hook,
  devices: async () => {
    await ready;
    return devices;
  },
  embedReference: async (device, options = {}) => {
    await ready;
    if (!isDevice(device)) throw new Error(`unknown device '${device}'`);
    const run = await serial(() => checkReference(device, 1, options.warmUp ?? true));
    return { device, embeddings: run.embeddings.map((e) => Array.from(e)), ms: run.ms, firstMs: run.firstMs };
  },
  processPhoto: async (bytes, device, threads) => {
    await ready;
    if (!isDevice(device)) throw new Error(`unknown device '${device}'`);
    const result = await serial(async () => processPhoto(new Blob([Uint8Array.from(bytes)]), 'photo', await pipelines.get(device, threads)));
    return {
      boxes: result.faces.map(({ box }) => [box.x, box.y, box.width, box.height]),
      embeddings: result.embeddings.map((e) => Array.from(e)),
      detectMs: result.detectMs,
      embedMs: result.embedMs,
    };
  },
  timeKernels: async (device, cases) => {
    await ready;
    if (!isDevice(device)) throw new Error(`unknown device '${device}'`);
    return serial(async () => {
      const timings: KernelTiming[] = [];
      for (const c of cases) timings.push(await timeKernel(device, c));
      return timings;
    });
  },
};
