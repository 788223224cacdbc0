// Camera mode: the faces in front of the camera followed and re-identified live. The video's
// newest frame is taken whenever the previous one is done (requestVideoFrameCallback; an
// animation frame where the browser has none), so a slow device shows fewer frames per second,
// never a growing lag. FaceTracker (rmnet/track/) finds, follows and identifies the faces; the
// frame it saw is drawn with their boxes, landmarks and IDs, and each face shown is listed with
// a form to enroll it by name (its track's mean embedding goes into the page's gallery).
// Frames go through the page's one task queue, as photos do.

import type { Pixels } from '../io/image.js';
import { GalleryError } from '../rmnet/gallery.js';
import { FaceTracker, type TrackedFace, type TrackedFrame } from '../rmnet/track/index.js';
import { openCamera } from './camera-open.js';
import { CameraStats } from './camera-stats.js';
import { $ } from './dom.js';
import { drawPhoto } from './draw.js';
import type { GalleryStore } from './gallery-store.js';
import type { DevicePipeline } from './models.js';

export interface CameraFrame {
  /** The frame's number among those processed since the camera started (0-based). */
  index: number;
  /** Its number in the camera's stream (frames skipped count). */
  stream: number;
  /** Where it ran, with its threads: "simd", "simd ×2" (web/models.ts deviceLabel). */
  device: string;
  /** The frame as it was processed (RGBA). */
  pixels: Pixels;
  faces: TrackedFace[];
  /** ms: the tracker's stages, and the whole frame (grabbed, then tracked). */
  timings: TrackedFrame['timings'] & { total: number };
}

export interface CameraState {
  running: boolean;
  /** Frames processed since the camera last started. */
  frames: number;
  /** The message shown when the camera could not start or stopped on an error. */
  message?: string;
  /** readyState of each of the stream's tracks ('live', 'ended'); [] before the first start. */
  tracks: string[];
}

/** What the browser test (and any embedding page) calls: `window.facereid.camera`. */
export interface CameraHook {
  /** Starts the camera, as its button does; rejects with the message the page shows when it cannot. */
  start(): Promise<void>;
  /** Stops it, as its button does; settles when no frame is being processed. */
  stop(): Promise<void>;
  state(): CameraState;
  /** Calls `listener` with each processed frame until the function returned is called. */
  onFrame(listener: (frame: CameraFrame) => void): () => void;
}

export interface CameraContext {
  /** The page's one task queue: compiled nets own their buffers, so runs must not interleave. */
  serial<T>(task: () => Promise<T>): Promise<T>;
  /** The pipeline of the device picked now. */
  pipeline(): Promise<DevicePipeline>;
  store(): GalleryStore;
  threshold(): number;
  /** After a face was enrolled from the camera (the gallery changed; the camera knows already). */
  enrolled(): void;
  /** Shows a gallery message (e.g. a name refused). */
  notice(message: string): void;
}

interface Session {
  stream: MediaStream;
  tracker: FaceTracker;
  /** The gallery change count and threshold the tracker was made with. */
  made: { changes: number; threshold: number };
  stopped: boolean;
  frames: number;
  /** The number in the stream of the last frame processed. */
  streamFrame: number;
  stats: CameraStats;
  /** The pending frame callback. */
  waiting?: number;
  /** The frame being processed, if any. */
  busy?: Promise<void>;
}

/** Side of each face's thumbnail in the list. */
const THUMB = 64;

export class Camera {
  private readonly ui = {
    toggle: $<HTMLButtonElement>('#camera-toggle'),
    stats: $('#camera-stats'),
    message: $('#camera-message'),
    view: $('#camera-view'),
    video: $<HTMLVideoElement>('#camera-video'),
    canvas: $<HTMLCanvasElement>('#camera-canvas'),
    faces: $('#camera-faces'),
    faceTemplate: $<HTMLTemplateElement>('#camera-face-template'),
  };
  private session?: Session;
  private starting = false;
  private message?: string;
  private tracks: MediaStreamTrack[] = [];
  private frames = 0;
  private readonly listeners = new Set<(frame: CameraFrame) => void>();
  /** The frame being processed, as the video gave it. */
  private readonly grab = new OffscreenCanvas(1, 1);

  constructor(private readonly page: CameraContext) {
    this.ui.toggle.addEventListener('click', () => {
      (this.session ? this.stop() : this.start()).catch(() => { /* shown in the page */ });
    });
  }

  /** The models are loaded: the camera may start. */
  enable(): void {
    this.ui.toggle.disabled = false;
  }

  readonly hook: CameraHook = {
    start: () => this.start(),
    stop: () => this.stop(),
    state: () => ({
      running: !!this.session, frames: this.frames, message: this.message, tracks: this.tracks.map((t) => t.readyState),
    }),
    onFrame: (listener) => {
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    },
  };

  async start(): Promise<void> {
    if (this.session || this.starting) return;
    this.starting = true;
    this.show(undefined);
    this.ui.toggle.disabled = true;
    this.ui.toggle.textContent = 'Starting…';
    try {
      const stream = await openCamera();
      this.tracks = stream.getTracks();
      try {
        const video = this.ui.video;
        video.srcObject = stream;
        await video.play();
        const { pipeline } = await this.page.serial(() => this.page.pipeline());
        const session: Session = { stream, ...this.tracker(pipeline), stopped: false, frames: 0, streamFrame: -1, stats: new CameraStats() };
        for (const track of this.tracks) track.addEventListener('ended', () => this.end(session, 'The camera stopped: it was disconnected or taken by another application.'));
        this.session = session;
        this.frames = 0;
        this.ui.view.hidden = false;
        this.ui.stats.textContent = 'Camera on: the first frame is being processed…';
        this.next(session);
      } catch (error) {
        this.release(stream);
        throw error;
      }
    } catch (error) {
      this.show((error as Error).message);
      throw error;
    } finally {
      this.starting = false;
      this.ui.toggle.disabled = false;
      this.ui.toggle.textContent = this.session ? 'Stop camera' : 'Start camera';
    }
  }

  /** Stops the camera; settles when no frame is being processed. */
  async stop(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.end(session);
    await session.busy;
  }

  /** Ends a session: no frame is processed after (one being processed is dropped); `message` says why, if it ended on its own. */
  private end(session: Session, message?: string): void {
    if (session.stopped) return;
    session.stopped = true;
    this.session = undefined;
    if (session.waiting !== undefined) {
      if ('cancelVideoFrameCallback' in this.ui.video) this.ui.video.cancelVideoFrameCallback(session.waiting);
      else cancelAnimationFrame(session.waiting);
    }
    this.release(session.stream);
    this.ui.toggle.textContent = 'Start camera';
    this.ui.view.hidden = true;
    this.ui.faces.replaceChildren();
    this.ui.stats.textContent = `Camera off after ${session.frames} frame${session.frames === 1 ? '' : 's'}.`;
    this.show(message);
  }

  /** The gallery or the threshold changed: the tracker starts again from them (unless it knows the change: its own enrolment). */
  galleryChanged(): void {
    const session = this.session;
    if (!session || (session.made.changes === this.page.store().changes && session.made.threshold === this.page.threshold())) return;
    Object.assign(session, this.tracker(session.tracker.pipeline));
    this.ui.faces.replaceChildren(); // the new tracker numbers its tracks afresh
  }

  private tracker(pipeline: DevicePipeline['pipeline']): Pick<Session, 'tracker' | 'made'> {
    const store = this.page.store();
    const threshold = this.page.threshold();
    return { tracker: new FaceTracker(pipeline, { gallery: store.gallery, threshold }), made: { changes: store.changes, threshold } };
  }

  private release(stream: MediaStream): void {
    for (const track of stream.getTracks()) track.stop();
    this.ui.video.srcObject = null;
  }

  private show(message: string | undefined): void {
    this.message = message;
    this.ui.message.textContent = message ?? '';
    this.ui.message.hidden = !message;
  }

  /** Waits for the video's next frame, then processes it. */
  private next(session: Session): void {
    if (session.stopped) return;
    const video = this.ui.video;
    const run = (_now: number, metadata?: VideoFrameCallbackMetadata) => {
      session.waiting = undefined;
      session.busy = this.process(session, metadata?.mediaTime ?? video.currentTime);
    };
    session.waiting = 'requestVideoFrameCallback' in video ? video.requestVideoFrameCallback(run) : requestAnimationFrame(run);
  }

  /**
   * The number in the stream of the frame shown at `mediaTime` (seconds): frames the page had no
   * time for count, so the tracker's gaps and motion follow the camera's time (rmnet/track/tracker.ts).
   */
  private streamFrame(session: Session, mediaTime: number): number {
    const rate = session.stream.getVideoTracks()[0]?.getSettings().frameRate || 30;
    return Math.max(session.streamFrame + 1, Math.round(mediaTime * rate));
  }

  private async process(session: Session, mediaTime: number): Promise<void> {
    try {
      const done = await this.page.serial(async () => {
        if (session.stopped) return undefined; // stopped while a photo was being processed: this frame is not
        const started = performance.now();
        const { pipeline, label: device } = await this.page.pipeline();
        session.tracker.pipeline = pipeline; // another device picked: the tracks carry on
        const pixels = this.grabFrame();
        session.streamFrame = this.streamFrame(session, mediaTime);
        const frame = await session.tracker.next(pixels, session.streamFrame);
        return { device, pixels, frame, total: performance.now() - started };
      });
      if (!done || session.stopped) return;
      const { device, pixels, frame, total } = done;
      session.stats.add(performance.now(), { detect: frame.timings.detect, embed: frame.timings.embed, total });
      this.frames = ++session.frames;
      this.page.store().reserveIds(frame.faces.filter((face) => !face.enrolled).map((face) => face.identity));
      this.render(session, device, pixels, frame.faces);
      const event: CameraFrame = { index: session.frames - 1, stream: frame.frame, device, pixels, faces: frame.faces, timings: { ...frame.timings, total } };
      for (const listener of this.listeners) listener(event);
    } catch (error) {
      if (!session.stopped) this.end(session, `Camera stopped: ${(error as Error).message}`);
      return;
    }
    this.next(session);
  }

  /** The video's current frame as RGBA pixels. */
  private grabFrame(): Pixels {
    const { videoWidth: width, videoHeight: height } = this.ui.video;
    if (this.grab.width !== width || this.grab.height !== height) [this.grab.width, this.grab.height] = [width, height];
    const context = this.grab.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(this.ui.video, 0, 0);
    return { data: context.getImageData(0, 0, width, height).data, width, height, channels: 4 };
  }

  private render(session: Session, device: string, pixels: Pixels, faces: TrackedFace[]): void {
    const labels = faces.map((face) => ({ text: `${face.identity} ${face.similarity.toFixed(2)}`, known: face.enrolled }));
    drawPhoto(this.ui.canvas, pixels, faces, labels);
    const { fps, mean } = session.stats;
    this.ui.stats.textContent = `${device} · ${fps.toFixed(1)} frames/s · per frame: detect ${mean.detect.toFixed(0)} ms, embed ${mean.embed.toFixed(0)} ms, ` +
      `total ${mean.total.toFixed(0)} ms · ${faces.length} face${faces.length === 1 ? '' : 's'} · ${pixels.width}×${pixels.height}`;
    this.renderFaces(session, faces, labels);
  }

  /**
   * The list of faces shown: one row per track, updated in place (so a name being typed stays);
   * a row whose face has gone is removed unless a name is being typed in it.
   */
  private renderFaces(session: Session, faces: TrackedFace[], labels: { text: string; known: boolean }[]): void {
    const shown = new Set(faces.map((face) => String(face.track)));
    for (const row of [...this.ui.faces.children] as HTMLElement[]) {
      const input = $<HTMLInputElement>('input', row);
      const gone = !shown.has(row.dataset.track!);
      if (gone && !input.value && document.activeElement !== input) row.remove();
      else row.dataset.gone = String(gone);
    }
    faces.forEach((face, i) => {
      const row = this.ui.faces.querySelector<HTMLElement>(`li[data-track="${face.track}"]`) ?? this.faceRow(session, face.track);
      row.dataset.identity = face.identity;
      const label = $('.label', row);
      label.textContent = `${i + 1}. ${labels[i].text}`;
      label.className = `label ${face.enrolled ? 'known' : 'anonymous'}`;
      const { x, y, width, height } = face.box;
      const thumb = $<HTMLCanvasElement>('canvas', row).getContext('2d')!;
      thumb.clearRect(0, 0, THUMB, THUMB);
      thumb.drawImage(this.grab, x, y, width, height, 0, 0, THUMB, THUMB);
    });
  }

  private faceRow(session: Session, track: number): HTMLElement {
    const row = this.ui.faceTemplate.content.firstElementChild!.cloneNode(true) as HTMLElement;
    row.dataset.track = String(track);
    const form = $<HTMLFormElement>('form', row);
    const { tracker } = session;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const input = $<HTMLInputElement>('input', form);
      this.page.serial(async () => this.enroll(session, tracker, track, row.dataset.identity!, input.value.trim())).then((done) => {
        if (done) input.value = '';
      }, () => { /* nothing else fails */ });
    });
    this.ui.faces.append(row);
    return row;
  }

  /** Enrolls a live track by name: its mean embedding into the gallery, the name onto the track. */
  private enroll(session: Session, tracker: FaceTracker, track: number, identity: string, name: string): boolean {
    const embedding = tracker.appearance(track);
    if (session.stopped || session.tracker !== tracker || !embedding) {
      this.page.notice(`That face has left: enroll a face while the camera shows it.`);
      return false;
    }
    const store = this.page.store();
    try {
      store.enroll(name, embedding, identity);
    } catch (error) {
      if (!(error instanceof GalleryError)) throw error;
      this.page.notice(error.message);
      return false;
    }
    tracker.enroll(track, name);
    session.made.changes = store.changes;
    this.page.enrolled();
    return true;
  }
}
