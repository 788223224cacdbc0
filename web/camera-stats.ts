// Camera mode's running numbers: frames per second over the last two seconds, and each stage's
// mean over the last 30 frames.

export interface StageTimes {
  detect: number;
  embed: number;
  /** The whole frame: grabbing it, finding, embedding and tracking its faces (ms). */
  total: number;
}

const WINDOW_MS = 2000;
const FRAMES = 30;

export class CameraStats {
  /** When each recent frame was done (performance.now()). */
  private readonly done: number[] = [];
  private readonly times: StageTimes[] = [];

  add(at: number, times: StageTimes): void {
    this.done.push(at);
    while (this.done.length > 2 && at - this.done[0] > WINDOW_MS) this.done.shift();
    this.times.push(times);
    if (this.times.length > FRAMES) this.times.shift();
  }

  /** Frames done per second lately (0 before the second frame). */
  get fps(): number {
    const n = this.done.length;
    return n < 2 ? 0 : ((n - 1) * 1000) / (this.done[n - 1] - this.done[0]);
  }

  /** Each stage's mean over the recent frames. */
  get mean(): StageTimes {
    const n = Math.max(this.times.length, 1);
    const sum = (stage: keyof StageTimes) => this.times.reduce((total, t) => total + t[stage], 0) / n;
    return { detect: sum('detect'), embed: sum('embed'), total: sum('total') };
  }
}
