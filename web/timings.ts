// Per-device timings: each photo's detection (whole photo) and embedding (per face), and the
// reference check (9 faces, warm), shown as a table of medians.

interface Row {
  detect: number[];
  embedPerFace: number[];
  reference?: { msPerFace: number; firstMs?: number; minCosine: number };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export class Timings {
  private readonly rows = new Map<string, Row>();

  constructor(private readonly body: HTMLTableSectionElement) {}

  private row(device: string): Row {
    let row = this.rows.get(device);
    if (!row) {
      row = { detect: [], embedPerFace: [] };
      this.rows.set(device, row);
    }
    return row;
  }

  detect(device: string, ms: number): void {
    this.row(device).detect.push(ms);
  }

  embed(device: string, ms: number, faces: number): void {
    if (faces > 0) this.row(device).embedPerFace.push(ms / faces);
  }

  reference(device: string, msPerFace: number, firstMs: number | undefined, minCosine: number): void {
    this.row(device).reference = { msPerFace, firstMs, minCosine };
  }

  render(current: string): void {
    const cell = (values: number[]) => (values.length ? `${median(values).toFixed(1)} <span class="small">×${values.length}</span>` : '–');
    this.body.replaceChildren(...[...this.rows].map(([device, row]) => {
      const tr = document.createElement('tr');
      tr.dataset.device = device;
      tr.classList.toggle('current', device === current);
      const ref = row.reference;
      tr.innerHTML = `<td>${device}</td><td>${cell(row.detect)}</td><td>${cell(row.embedPerFace)}</td>` +
        `<td title="${ref?.firstMs !== undefined ? `warm-up (compiling, one face) ${ref.firstMs.toFixed(0)} ms` : 'compiling included'}">` +
        `${ref ? `${ref.msPerFace.toFixed(1)}${ref.firstMs === undefined ? '*' : ''}` : '–'}</td>` +
        `<td>${ref ? ref.minCosine.toFixed(6) : '–'}</td>`;
      return tr;
    }));
  }
}
