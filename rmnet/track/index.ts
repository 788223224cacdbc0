// Tracking with re-identification: frames in, tracks out (see tracker.ts).
export { FaceTracker, TRACK_MIN_FACE_SIZE, type IdentitySummary, type TrackedFace, type TrackedFrame, type TrackerOptions } from './tracker.js';
