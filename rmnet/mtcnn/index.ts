// MTCNN face detection: boxes and five landmarks per face.
export { FaceDetector, loadMtcnn, type DetectOptions, type Face } from './detector.js';
export { findMtcnn, MTCNN } from './nets.js';
