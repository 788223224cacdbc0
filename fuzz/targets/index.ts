// Every fuzz target, one per parser, by name.

import { caffemodelTarget, prototxtTarget } from './caffe.js';
import { galleryTarget } from './gallery.js';
import { jpegTarget, pngTarget } from './images.js';
import { npyTarget } from './npy.js';
import { irTarget } from './openvino.js';
import type { Target } from './target.js';

export const TARGETS: Record<string, Target> = Object.fromEntries(
  [prototxtTarget, caffemodelTarget, irTarget, npyTarget, jpegTarget, pngTarget, galleryTarget].map((t) => [t.name, t]),
);
