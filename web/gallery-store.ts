// The page's gallery: rmnet/gallery.ts's pure functions on a gallery kept in memory and saved to
// localStorage after each change. A saved gallery that is not a valid gallery, or was made in
// another embedding space (another model, or another flip setting), is set aside, not mixed in.

import { emptyGallery, enroll, identify, matchSpace, parseGallery, type EmbeddingSpace, type Gallery, type Match } from '../rmnet/gallery.js';

const KEY = 'facereid.gallery';
/** The names re-identification gives (rmnet/gallery.ts). */
const ANONYMOUS = /^ID_(\d+)$/;

export class GalleryStore {
  /** Counts the changes saved, so a user of the gallery can tell whether it changed since it last looked. */
  changes = 0;

  private constructor(public gallery: Gallery, readonly notice?: string) {}

  /** The saved gallery, or an empty one (with a notice saying why the saved one was not used). */
  static open(space: EmbeddingSpace): GalleryStore {
    let saved: string | null;
    try {
      saved = localStorage.getItem(KEY);
    } catch (error) {
      return new GalleryStore(emptyGallery(space), `The gallery lives in this page only: storage is unavailable (${(error as Error).message}).`);
    }
    if (!saved) return new GalleryStore(emptyGallery(space));
    try {
      const gallery = parseGallery(saved, 'the saved gallery');
      matchSpace(gallery, space, 'the saved gallery');
      return new GalleryStore(gallery);
    } catch (error) {
      try { localStorage.setItem(`${KEY}.set-aside`, saved); } catch { /* storage full: the saved copy stays in place until overwritten */ }
      return new GalleryStore(emptyGallery(space), `The saved gallery was set aside: ${(error as Error).message}.`);
    }
  }

  /** Saves the gallery; where storage is unavailable or full it lives on in the page only. */
  private save(): void {
    this.changes++;
    try {
      localStorage.setItem(KEY, JSON.stringify(this.gallery));
    } catch { /* kept in memory */ }
  }

  /** Identifies one photo's faces; with `reidentify`, faces matching nobody get new IDs (saved). */
  identify(embeddings: Float32Array[], threshold: number, reidentify: boolean): Match[] {
    const before = this.gallery.nextId;
    const matches = identify(this.gallery, embeddings, threshold, reidentify);
    if (this.gallery.nextId !== before) this.save();
    return matches;
  }

  /**
   * Enrolls a face under a name. When the face was known only by an anonymous ID, that ID is
   * folded into the name: its embeddings (the same person seen before) join the named identity,
   * the face's own among them only once (an ID given to this very face holds its embedding).
   */
  enroll(name: string, embedding: Float32Array, anonymousId?: string): void {
    const anonymous = this.gallery.identities.find((i) => i.anonymous && i.name === anonymousId);
    const earlier = (anonymous?.embeddings ?? []).filter((e) => !e.every((v, k) => Math.fround(v) === embedding[k])); // stored to 9 digits: the same float32
    enroll(this.gallery, name, [embedding, ...earlier.map((e) => Float32Array.from(e))]);
    if (anonymous) this.gallery.identities = this.gallery.identities.filter((i) => i !== anonymous);
    this.save();
  }

  /**
   * Keeps the numbers of IDs given elsewhere (the camera's tracker numbers its own from the
   * gallery's next ID) from being given again to other faces.
   */
  reserveIds(names: string[]): void {
    const next = Math.max(this.gallery.nextId, ...names.map((name) => Number(ANONYMOUS.exec(name)?.[1] ?? -1) + 1));
    if (next === this.gallery.nextId) return;
    this.gallery.nextId = next;
    this.save();
  }

  remove(name: string): void {
    this.gallery.identities = this.gallery.identities.filter((i) => i.name !== name);
    this.save();
  }

  clear(): void {
    this.gallery = emptyGallery({ model: this.gallery.model, flip: this.gallery.flip });
    this.save();
  }
}
