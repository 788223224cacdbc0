// Opening the camera, and why it cannot be opened, in one plain sentence each: the page is not a
// secure context (browsers offer getUserMedia only on https:// pages and localhost), the
// permission was refused, there is no camera, or it is busy. Photos work in every case.

/** What the page asks for: any camera, 640x480 where it can choose (larger frames cost detection time). */
const CONSTRAINTS: MediaStreamConstraints = { video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false };
const PHOTOS_STILL_WORK = 'Photos still work.';

export class CameraError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CameraError';
  }
}

/** The camera's stream; else a CameraError with the sentence to show. */
export async function openCamera(): Promise<MediaStream> {
  if (!window.isSecureContext) {
    throw new CameraError(`The camera needs a secure page: open this page over https:// or from localhost (it was opened from ${location.origin}). ${PHOTOS_STILL_WORK}`);
  }
  if (!navigator.mediaDevices?.getUserMedia) throw new CameraError(`This browser offers no camera access (navigator.mediaDevices.getUserMedia). ${PHOTOS_STILL_WORK}`);
  try {
    return await navigator.mediaDevices.getUserMedia(CONSTRAINTS);
  } catch (error) {
    throw new CameraError(refusal(error as Error));
  }
}

/** getUserMedia's failure (a DOMException, by name; older browsers used other names) as a sentence. */
function refusal(error: Error): string {
  switch (error.name) {
    case 'NotAllowedError': case 'PermissionDeniedError': case 'SecurityError':
      return `Camera permission was refused: allow the camera for this page in the browser's site settings, then start again. ${PHOTOS_STILL_WORK}`;
    case 'NotFoundError': case 'DevicesNotFoundError': case 'OverconstrainedError':
      return `No camera found: connect one, then start again. ${PHOTOS_STILL_WORK}`;
    case 'NotReadableError': case 'TrackStartError': case 'AbortError':
      return `The camera could not be started (another application may be using it): ${error.message}. ${PHOTOS_STILL_WORK}`;
    default:
      return `The camera could not be started: ${error.name}: ${error.message}. ${PHOTOS_STILL_WORK}`;
  }
}
