// The page's gallery: rmnet/gallery.ts's pure functions on a gallery kept in memory and saved to
// localStorage after each change. A saved gallery made with another model (probe embeddings
// differ) or in another format is set aside, not mixed in.

import { cosine } from '../rmnet/embedder.js';
import { emptyGallery, enroll, GALLERY_FORMAT, GALLERY_VERSION, identify, type Gallery, type Match, type ModelIdentity } from '../rmnet/gallery.js';

const KEY = 'facereid.gallery';
/** Probe cosine above which a saved gallery counts as made with this model (as gallery.ts). */
const SAME_MODEL = 0.999;

export class GalleryStore {
  private constructor(public gallery: Gallery, readonly notice?: string) {}

  /** The saved gallery, or an empty one (with a notice saying why the saved one was not used). */
  static open(model: ModelIdentity): GalleryStore {
    let saved: string | null;
    try {
      saved = localStorage.getItem(KEY);
    } catch (error) {
      return new GalleryStore(emptyGallery(model), `The gallery lives in this page only: storage is unavailable (${(error as Error).message}).`);
    }
    if (!saved) return new GalleryStore(emptyGallery(model));
    try {
      const gallery = JSON.parse(saved) as Gallery;
      if (gallery.format !== GALLERY_FORMAT || gallery.version !== GALLERY_VERSION || !Array.isArray(gallery.identities)) {
        throw new Error('not a facereid gallery of this version');
      }
      const similarity = cosine(gallery.model.probe, model.probe);
      if (!(similarity >= SAME_MODEL)) throw new Error(`made with another model (probe cosine ${similarity.toFixed(4)})`);
      return new GalleryStore(gallery);
    } catch (error) {
      try { localStorage.setItem(`${KEY}.set-aside`, saved); } catch { /* storage full: the saved copy stays in place until overwritten */ }
      return new GalleryStore(emptyGallery(model), `The saved gallery was set aside: ${(error as Error).message}.`);
    }
  }

  /** Saves the gallery; where storage is unavailable or full it lives on in the page only. */
  private save(): void {
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
   * folded into the name: its embeddings (the same person seen before) join the named identity.
   */
  enroll(name: string, embedding: Float32Array, anonymousId?: string): void {
    enroll(this.gallery, name, [embedding]);
    const anonymous = this.gallery.identities.find((i) => i.anonymous && i.name === anonymousId);
    if (anonymous) {
      this.gallery.identities = this.gallery.identities.filter((i) => i !== anonymous);
      enroll(this.gallery, name, anonymous.embeddings.map((e) => Float32Array.from(e)));
    }
    this.save();
  }

  remove(name: string): void {
    this.gallery.identities = this.gallery.identities.filter((i) => i.name !== name);
    this.save();
  }

  clear(): void {
    this.gallery = emptyGallery(this.gallery.model);
    this.save();
  }
}
