// Axis-aligned boxes for detection metrics. Coordinates are continuous (COCO convention): a box
// [0,0,10,10] has area 100, not 121 as with the VOC devkit's "+1 pixel" rule.

/** Corner format [x1, y1, x2, y2] with x1 ≤ x2, y1 ≤ y2. */
export type BoxXYXY = readonly [number, number, number, number];
/** Centre format [cx, cy, w, h], as in YOLO labels and in the engine's box losses. */
export type BoxCXCYWH = readonly [number, number, number, number];

export function cxcywhToXyxy([cx, cy, w, h]: BoxCXCYWH): BoxXYXY {
  return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
}

export function xyxyToCxcywh([x1, y1, x2, y2]: BoxXYXY): BoxCXCYWH {
  return [(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1];
}

export function boxArea([x1, y1, x2, y2]: BoxXYXY): number {
  return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
}

/** Intersection over union; 0 when both boxes are empty. */
export function boxIoU(a: BoxXYXY, b: BoxXYXY): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = boxArea(a) + boxArea(b) - inter;
  return union > 0 ? inter / union : 0;
}
