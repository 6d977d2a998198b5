/** Anchor sizes from the training boxes: k-means with the 1 − IoU distance (YOLOv2, note 001). */

export type Size = readonly [w: number, h: number];

/** IoU of two boxes sharing a centre: how well an anchor's shape fits a box's, whatever their positions. */
export function shapeIoU(a: Size, b: Size): number {
  const inter = Math.min(a[0], b[0]) * Math.min(a[1], b[1]);
  const union = a[0] * a[1] + b[0] * b[1] - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * k anchor sizes, sorted by area. Deterministic: centres start at area quantiles of the boxes (no random
 * restarts), then Lloyd iterations assign every box to the centre of highest shape IoU and move each centre
 * to the median of its boxes (medians resist the odd huge box better than means).
 */
export function kmeansAnchors(sizes: readonly Size[], k: number, iterations = 30): [number, number][] {
  if (k <= 0) return [];
  const boxes = sizes.filter((s) => s[0] > 0 && s[1] > 0);
  if (boxes.length === 0) throw new Error('k-means anchors need at least one box');
  const sorted = [...boxes].sort((a, b) => a[0] * a[1] - b[0] * b[1]);
  let centres: [number, number][] = Array.from({ length: k }, (_, i) => {
    const s = sorted[Math.min(sorted.length - 1, Math.floor(((i + 0.5) / k) * sorted.length))];
    return [s[0], s[1]];
  });
  for (let it = 0; it < iterations; it++) {
    const members: Size[][] = centres.map(() => []);
    for (const b of boxes) members[nearest(b, centres)].push(b);
    const next = centres.map((c, j) => (members[j].length ? [median(members[j].map((m) => m[0])), median(members[j].map((m) => m[1]))] : c) as [number, number]);
    const moved = next.some((c, j) => c[0] !== centres[j][0] || c[1] !== centres[j][1]);
    centres = next;
    if (!moved) break;
  }
  return centres.sort((a, b) => a[0] * a[1] - b[0] * b[1]);
}

/** Mean over the boxes of the best anchor's shape IoU (YOLOv2's "Avg IOU" of an anchor set). */
export function meanBestIoU(sizes: readonly Size[], anchors: readonly Size[]): number {
  if (sizes.length === 0 || anchors.length === 0) return 0;
  return sizes.reduce((s, b) => s + Math.max(...anchors.map((a) => shapeIoU(a, b))), 0) / sizes.length;
}

function nearest(b: Size, centres: readonly Size[]): number {
  let best = 0;
  let bestIoU = -1;
  centres.forEach((c, j) => {
    const iou = shapeIoU(b, c);
    if (iou > bestIoU) [best, bestIoU] = [j, iou];
  });
  return best;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
