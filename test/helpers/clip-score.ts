// Scores a tracker's output on a synthetic clip against its truth. A shown face belongs to the
// person whose pasted photo holds its box's centre (the topmost, where photos overlap).
//   ID switches (as CLEAR-MOT counts them): a person shown under an ID different from the one
//     they were last shown under;
//   fragmented: the IDs a person was shown under, beyond the first, summed over people (a
//     returning person given a new ID counts here);
//   shared IDs: IDs shown for more than one person;
//   coverage: frames in which a person on screen was shown, over the frames they were on screen.

import type { TruthFace } from './clip.js';

export interface ShownFace {
  identity: string;
  box: { x: number; y: number; width: number; height: number };
}

export interface ClipScore {
  idSwitches: number;
  fragmented: number;
  sharedIds: string[];
  /** Shown faces not on any person. */
  falsePositives: number;
  coverage: number;
  /** Per person: the IDs shown for them in order of first use, and frames shown / on screen. */
  people: { person: string; ids: string[]; shown: number; onScreen: number }[];
}

export function scoreClip(truth: TruthFace[][], shown: ShownFace[][]): ClipScore {
  const people = new Map<string, { ids: string[]; last?: string; switches: number; shown: number; onScreen: number }>();
  const personOf = new Map<string, Set<string>>();
  let falsePositives = 0;
  truth.forEach((faces, frame) => {
    for (const { person } of faces) {
      const entry = people.get(person) ?? { ids: [], switches: 0, shown: 0, onScreen: 0 };
      entry.onScreen++;
      people.set(person, entry);
    }
    const shownPeople = new Set<string>();
    for (const face of shown[frame] ?? []) {
      const cx = face.box.x + face.box.width / 2, cy = face.box.y + face.box.height / 2;
      const owner = faces.findLast(({ rect }) => cx >= rect.x && cx < rect.x + rect.width && cy >= rect.y && cy < rect.y + rect.height);
      if (!owner) {
        falsePositives++;
        continue;
      }
      const entry = people.get(owner.person)!;
      if (!shownPeople.has(owner.person)) entry.shown++;
      shownPeople.add(owner.person);
      if (entry.last !== undefined && entry.last !== face.identity) entry.switches++;
      entry.last = face.identity;
      if (!entry.ids.includes(face.identity)) entry.ids.push(face.identity);
      personOf.set(face.identity, (personOf.get(face.identity) ?? new Set()).add(owner.person));
    }
  });
  const list = [...people].map(([person, e]) => ({ person, ids: e.ids, shown: e.shown, onScreen: e.onScreen, switches: e.switches }));
  return {
    idSwitches: list.reduce((n, p) => n + p.switches, 0),
    fragmented: list.reduce((n, p) => n + Math.max(0, p.ids.length - 1), 0),
    sharedIds: [...personOf].filter(([, persons]) => persons.size > 1).map(([id]) => id),
    falsePositives,
    coverage: list.reduce((n, p) => n + p.shown, 0) / list.reduce((n, p) => n + p.onScreen, 0),
    people: list.map(({ person, ids, shown: s, onScreen }) => ({ person, ids, shown: s, onScreen })),
  };
}

/** The score as a few lines for the test's output. */
export function formatScore(name: string, score: ClipScore): string {
  const rows = score.people.map((p) => `  ${p.person.padEnd(8)} ids ${p.ids.join(', ').padEnd(14)} shown ${p.shown}/${p.onScreen} frames`);
  return [
    `${name}: ID switches ${score.idSwitches}, fragmented ${score.fragmented}, shared IDs ${score.sharedIds.length}, ` +
      `false positives ${score.falsePositives}, coverage ${(100 * score.coverage).toFixed(1)}%`,
    ...rows,
  ].join('\n');
}
