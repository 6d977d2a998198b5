"""Detection target assignment for the exported train.py: a port of src/main/engine/detect/assign.ts
(assignTargets, bestShape), codec.ts encodeBox and levels.ts priorTable, proven equal to them by
tests/unit/engine/export/trainPyDetection.test.ts. The lab's own runs assign in the lab (TypeScript) and send the
positives to the runner; train.py has no lab beside it, so it assigns here and hands the same target records to
tasks.py's DetectionLoss.

Levels are dicts as the lab's detection setup writes them: output, stride, gridH, gridW, classes, anchors.
Boxes are (cls, cx, cy, w, h), relative to the image; rows with cls < 0 or an empty box are padding.
"""
import math

ANCHOR_FREE_SIZE = 4
CENTRE_RADIUS = 1.5


def per_cell(level):
    return max(1, len(level['anchors']))


def level_size(level):
    return level['gridH'] * level['gridW'] * per_cell(level)


def prior_table(level):
    """[gx, gy, anchor w, anchor h] per prediction (gy·W + gx)·A + a, flattened."""
    a = per_cell(level)
    out = []
    for gy in range(level['gridH']):
        for gx in range(level['gridW']):
            for k in range(a):
                aw, ah = level['anchors'][k] if level['anchors'] else (0, 0)
                out += [gx, gy, aw, ah]
    return out


def shape_iou(a, b):
    inter = min(a[0], b[0]) * min(a[1], b[1])
    union = a[0] * a[1] + b[0] * b[1] - inter
    return inter / union if union > 0 else 0.0


def best_shape(levels, w, h):
    best = (0, 0, -1.0)
    for li, l in enumerate(levels):
        shapes = l['anchors'] if l['anchors'] else [(ANCHOR_FREE_SIZE * l['stride'], ANCHOR_FREE_SIZE * l['stride'])]
        for a, s in enumerate(shapes):
            iou = shape_iou((w, h), s)
            if iou > best[2]:
                best = (li, a, iou)
    return best


def _cell(v, stride, cells):
    return min(cells - 1, max(0, math.floor(v / stride)))


def boxes_of(rows):
    """One image's box rows → [(cls, (cx, cy, w, h))] without the padding."""
    return [(int(round(r[0])), tuple(float(v) for v in r[1:5])) for r in rows if r[0] >= 0 and r[3] > 0 and r[4] > 0]


def assign_targets(gt, levels, image, anchor_ratio=None):
    """Positives per level, in row order: dicts with image, row, gx, gy, anchor, cls, box."""
    claimed = [dict() for _ in levels]
    for n, boxes in enumerate(gt):
        for cls, box in boxes:
            cx, cy, w, h = box[0] * image['w'], box[1] * image['h'], box[2] * image['w'], box[3] * image['h']
            ml, ma, miou = best_shape(levels, w, h)

            def claim(level, gx, gy, anchor, rank):
                l = levels[level]
                row = n * level_size(l) + (gy * l['gridW'] + gx) * per_cell(l) + anchor
                prev = claimed[level].get(row)
                if prev is not None and prev[1] >= rank:
                    return
                claimed[level][row] = ({'image': n, 'row': row, 'gx': gx, 'gy': gy, 'anchor': anchor, 'cls': cls, 'box': list(box)}, rank)

            l = levels[ml]
            gx, gy = _cell(cx, l['stride'], l['gridW']), _cell(cy, l['stride'], l['gridH'])
            if l['anchors']:
                claim(ml, gx, gy, ma, miou)
                if anchor_ratio and anchor_ratio > 1:
                    for li, other in enumerate(levels):
                        for a, (aw, ah) in enumerate(other['anchors']):
                            if (li == ml and a == ma) or max(w / aw, aw / w, h / ah, ah / h) >= anchor_ratio:
                                continue
                            claim(li, _cell(cx, other['stride'], other['gridW']), _cell(cy, other['stride'], other['gridH']), a, shape_iou((w, h), (aw, ah)))
                continue
            rank = -w * h  # smaller boxes win shared cells
            r = CENTRE_RADIUS * l['stride']
            x0, x1 = max(cx - w / 2, cx - r), min(cx + w / 2, cx + r)
            y0, y1 = max(cy - h / 2, cy - r), min(cy + h / 2, cy + r)
            for y in range(_cell(y0, l['stride'], l['gridH']), _cell(y1, l['stride'], l['gridH']) + 1):
                for x in range(_cell(x0, l['stride'], l['gridW']), _cell(x1, l['stride'], l['gridW']) + 1):
                    ccx, ccy = (x + 0.5) * l['stride'], (y + 0.5) * l['stride']
                    if (x0 < ccx < x1 and y0 < ccy < y1) or (x == gx and y == gy):
                        claim(ml, x, y, 0, rank)
    return [[v[0] for _, v in sorted(m.items())] for m in claimed]


def encode_box(level, image, gx, gy, a, box):
    """codec.ts encodeBox: the regression target of a box at a cell and anchor."""
    cx, cy, w, h = box[0] * image['w'], box[1] * image['h'], box[2] * image['w'], box[3] * image['h']
    s = level['stride']
    if level['anchors']:
        aw, ah = level['anchors'][a]
        return [cx / s - gx, cy / s - gy, math.log(w / aw), math.log(h / ah)]
    ccx, ccy = (gx + 0.5) * s, (gy + 0.5) * s

    def d(v):
        return math.log(max(v, 1e-3 * s) / s)

    return [d(ccx - (cx - w / 2)), d(ccy - (cy - h / 2)), d(cx + w / 2 - ccx), d(cy + h / 2 - ccy)]


def detection_targets(box_rows, levels, image, anchor_ratio):
    """A batch's targets in the form DetectionLoss.targets reads (tasks.ts detectionTargets)."""
    gt = [boxes_of(rows) for rows in box_rows]
    positives = assign_targets(gt, levels, image, anchor_ratio)
    out = []
    for l, pos in zip(levels, positives):
        out.append({
            'rows': [p['row'] for p in pos],
            'priors': [v for p in pos for v in [p['gx'], p['gy'], *(l['anchors'][p['anchor']] if l['anchors'] else (0, 0))]],
            'boxes': [v for p in pos for v in p['box']],
            'encoded': [v for p in pos for v in encode_box(l, image, p['gx'], p['gy'], p['anchor'], p['box'])],
            'cls': [p['cls'] for p in pos],
        })
    g = max([1] + [len(b) for b in gt])
    padded = [0.0] * (len(gt) * g * 4)
    for n, boxes in enumerate(gt):
        for j, (_, box) in enumerate(boxes):
            padded[(n * g + j) * 4:(n * g + j) * 4 + 4] = list(box)
    return {'levels': out, 'images': len(gt), 'gt': padded}
