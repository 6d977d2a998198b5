"""The lab's detection and segmentation losses with torch ops, term for term as the TF.js trainer computes them:

  detection     src/main/engine/train/tasks/detectionLoss.ts (+ detect/codec.ts decodeTensor, train/boxLosses.ts)
  segmentation  src/main/engine/train/tasks/segmentation.ts segmentationLoss (pixel loss + diceWeight x Dice)

Target assignment (which prediction learns which box, detect/assign.ts) stays in the lab: it is data-side work
on the boxes, done once, in one place. The lab sends each batch's positives (row, prior, target box, encoded
target, class) and the padded ground-truth boxes; this module does the tensor math on the device.
Outputs arrive channels-last ([N, H, W, C]), like the TF.js heads'.
"""
import math

import torch
import torch.nn.functional as F

from .losses import make_loss

LOG_MIN = -8.0
LOG_MAX = 6.0
SMOOTH_L1_BETA = 1 / 9


def _bce_terms(x, y):
    return F.softplus(x) - x * y


def _focal_terms(x, y, alpha, gamma):
    p = torch.sigmoid(x)
    pt = p * y + (1 - p) * (1 - y)
    factor = (1 - pt).clamp(1e-12, 1) ** gamma
    return _bce_terms(x, y) * factor * (y * alpha + (1 - y) * (1 - alpha))


def _smooth_l1_terms(a, b):
    d = (a - b).abs()
    small = torch.clamp(d, max=SMOOTH_L1_BETA)
    return small * small * (0.5 / SMOOTH_L1_BETA) + F.relu(d - SMOOTH_L1_BETA)


def box_loss_per_box(pred, target, variant, eps=1e-7):
    """boxLosses.ts boxLossPerBox: 1 - IoU / GIoU / DIoU / CIoU of (cx, cy, w, h) boxes, one value per box."""
    p = pred.reshape(-1, 4)
    t = target.reshape(-1, 4)

    def corners(b):
        cx, cy, w, h = b.unbind(1)
        return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, cx, cy, w, h

    px1, py1, px2, py2, pcx, pcy, pw, ph = corners(p)
    tx1, ty1, tx2, ty2, tcx, tcy, tw, th = corners(t)
    iw = F.relu(torch.minimum(px2, tx2) - torch.maximum(px1, tx1))
    ih = F.relu(torch.minimum(py2, ty2) - torch.maximum(py1, ty1))
    inter = iw * ih
    union = pw * ph + tw * th - inter
    iou = inter / (union + eps)
    loss = 1 - iou
    if variant == 'iou':
        return loss
    cw = torch.maximum(px2, tx2) - torch.minimum(px1, tx1)
    ch = torch.maximum(py2, ty2) - torch.minimum(py1, ty1)
    if variant == 'giou':
        area_c = cw * ch
        return loss + (area_c - union) / (area_c + eps)
    diagonal = cw * cw + ch * ch + eps
    centre = (pcx - tcx) ** 2 + (pcy - tcy) ** 2
    diou = loss + centre / diagonal
    if variant == 'diou':
        return diou
    v = (torch.atan(tw / th) - torch.atan(pw / ph)) ** 2 * (4 / math.pi ** 2)
    alpha = (v / (1 - iou + v + eps)).detach()
    return diou + alpha * v


class Level:
    """One YOLO head as detect/levels.ts describes it."""

    def __init__(self, spec, image, device):
        self.output = spec['output']
        self.stride = spec['stride']
        self.grid_h, self.grid_w = spec['gridH'], spec['gridW']
        self.classes = spec['classes']
        self.anchors = spec['anchors']
        self.per_cell = max(1, len(self.anchors))
        self.size = self.grid_h * self.grid_w * self.per_cell
        self.image_h, self.image_w = image
        self.priors = torch.tensor(spec['priors'], dtype=torch.float32, device=device).reshape(-1, 4)
        self.scale_xy = torch.tensor([self.stride / self.image_w, self.stride / self.image_h], dtype=torch.float32, device=device)
        self.image_wh = torch.tensor([float(self.image_w), float(self.image_h)], dtype=torch.float32, device=device)

    def decode(self, raw, priors):
        """codec.ts decodeTensor: raw head values [..., 4], priors (gx, gy, anchor w, anchor h) → (cx, cy, w, h) relative."""
        g = priors[..., 0:2]
        if self.anchors:
            xy = (torch.sigmoid(raw[..., 0:2]) + g) * self.scale_xy
            wh = torch.exp(raw[..., 2:4].clamp(LOG_MIN, LOG_MAX)) * priors[..., 2:4] / self.image_wh
            return torch.cat([xy, wh], -1)
        d = torch.exp(raw.clamp(LOG_MIN, LOG_MAX)) * self.scale_xy.repeat(2)
        dl, dt, dr, db = d.unbind(-1)
        centre = (g + 0.5) * self.scale_xy
        xy = centre + torch.stack([dr - dl, db - dt], -1) / 2
        return torch.cat([xy, torch.stack([dl + dr, dt + db], -1)], -1)

    def to_regression(self, raw):
        if not self.anchors:
            return raw
        return torch.cat([torch.sigmoid(raw[..., 0:2]), raw[..., 2:4]], -1)


def _pairwise_iou(boxes, gt):
    """[N, S, 4] x [N, G, 4] (cx, cy, w, h) → [N, S, G], as detectionLoss.ts pairwiseIoU."""
    a = boxes.unsqueeze(2)
    b = gt.unsqueeze(1)

    def corners(x):
        return x[..., 0:1] - x[..., 2:3] / 2, x[..., 1:2] - x[..., 3:4] / 2, x[..., 0:1] + x[..., 2:3] / 2, x[..., 1:2] + x[..., 3:4] / 2

    ax1, ay1, ax2, ay2 = corners(a)
    bx1, by1, bx2, by2 = corners(b)
    iw = F.relu(torch.minimum(ax2, bx2) - torch.maximum(ax1, bx1))
    ih = F.relu(torch.minimum(ay2, by2) - torch.maximum(ay1, by1))
    inter = iw * ih
    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
    return (inter / (union + 1e-9)).squeeze(-1)


def hard_negative_mask(terms, y, keep):
    """1 for positives and each image's keep[i] negatives of highest loss (ties kept), 0 for the rest; no gradient."""
    with torch.no_grad():
        s = terms.shape[1]
        negatives = terms * (1 - y)
        k = torch.tensor([min(s, max(1, v)) for v in keep], device=terms.device)
        top = torch.topk(negatives, int(k.max()), dim=1).values
        kth = top.gather(1, (k - 1).unsqueeze(1))
        return ((negatives >= kth) | (y > 0.5)).float()


class DetectionLoss:
    """L = (w_box Σ_pos ℓ_box + w_obj Σ_all ℓ_obj + w_cls Σ_pos ℓ_cls) / max(1, P); see detectionLoss.ts."""

    def __init__(self, cfg, device):
        self.device = device
        image = cfg['image']
        self.levels = [Level(spec, (image['h'], image['w']), device) for spec in cfg['levels']]
        o = cfg['options']
        self.box_loss = o['boxLoss']
        self.objectness = o['objectness']
        self.class_loss = o['classLoss']
        self.weights = o['weights']
        self.ignore_iou = o['ignoreIoU']
        self.focal_alpha = o.get('focalAlpha', 0.25)
        self.focal_gamma = o.get('focalGamma', 2)
        self.hard_negative_ratio = o.get('hardNegativeRatio', 0)

    def targets(self, t):
        """The lab's per-batch targets (JSON) as tensors on the device."""
        dev = self.device
        out = []
        for lt in t['levels']:
            p = len(lt['rows'])
            out.append({
                'rows': torch.tensor(lt['rows'], dtype=torch.long, device=dev),
                'priors': torch.tensor(lt['priors'], dtype=torch.float32, device=dev).reshape(p, 4),
                'boxes': torch.tensor(lt['boxes'], dtype=torch.float32, device=dev).reshape(p, 4),
                'encoded': torch.tensor(lt['encoded'], dtype=torch.float32, device=dev).reshape(p, 4),
                'cls': torch.tensor(lt['cls'], dtype=torch.long, device=dev),
            })
        gt = torch.tensor(t['gt'], dtype=torch.float32, device=dev).reshape(t['images'], -1, 4) if self.ignore_iou < 1 else None
        return out, gt

    def shard(self, targets, lo, hi):
        """The targets of images [lo, hi) of the batch (a data-parallel rank's slice), rows renumbered from 0."""
        per_level, gt = targets
        out = []
        for level, t in zip(self.levels, per_level):
            keep = (t['rows'] >= lo * level.size) & (t['rows'] < hi * level.size)
            picked = {k: v[keep] for k, v in t.items()}
            picked['rows'] = picked['rows'] - lo * level.size
            out.append(picked)
        return out, (gt[lo:hi] if gt is not None else None)

    def __call__(self, outputs, targets, total=None):
        """outputs: the heads' raw maps, channels-last. Returns (loss, mean IoU of the positives' decoded boxes).

        total: the positives P that normalise the loss; a data-parallel rank passes the global batch's count."""
        per_level, gt = targets
        if total is None:
            total = sum(int(t['rows'].numel()) for t in per_level)
        zero = torch.zeros((), device=self.device)
        box_sum, cls_sum, ious = zero, zero, []
        obj_terms_all, y_all = [], []
        for level, t in zip(self.levels, per_level):
            out = outputs[level.output]
            n = out.shape[0]
            raw = out.reshape(n * level.size, 5 + level.classes)
            obj_logits = raw[:, 4]
            y = torch.zeros(n * level.size, device=self.device)
            if t['rows'].numel():
                y[t['rows']] = 1.0
            weight = None
            if gt is not None:
                with torch.no_grad():
                    decoded = level.decode(raw.reshape(n, level.size, 5 + level.classes)[..., 0:4], level.priors)
                    ignored = (_pairwise_iou(decoded, gt).amax(-1) > self.ignore_iou).float().reshape(n * level.size)
                weight = 1 - ignored * (1 - y)
            if self.objectness == 'focal':
                obj_terms = _focal_terms(obj_logits, y, self.focal_alpha, self.focal_gamma)
            else:
                obj_terms = _bce_terms(obj_logits, y)
            if weight is not None:
                obj_terms = obj_terms * weight
            obj_terms_all.append(obj_terms.reshape(n, level.size))
            y_all.append(y.reshape(n, level.size))
            if not t['rows'].numel():
                continue
            picked = raw[t['rows']]
            tr, cls_logits = picked[:, 0:4], picked[:, 5:]
            decoded = level.decode(tr, t['priors'])
            if self.box_loss == 'smooth_l1':
                box_sum = box_sum + _smooth_l1_terms(level.to_regression(tr), t['encoded']).sum()
            else:
                box_sum = box_sum + box_loss_per_box(decoded, t['boxes'], self.box_loss).sum()
            one_hot = F.one_hot(t['cls'], level.classes).float()
            if self.class_loss == 'ce':
                cls_sum = cls_sum - (F.log_softmax(cls_logits, -1) * one_hot).sum()
            else:
                cls_sum = cls_sum + _bce_terms(cls_logits, one_hot).sum()
            ious.append((1 - box_loss_per_box(decoded, t['boxes'], 'iou')).detach())
        obj = torch.cat(obj_terms_all, 1)
        if self.hard_negative_ratio > 0:
            images = obj.shape[0]
            per_image = torch.zeros(images, device=self.device)
            for level, t in zip(self.levels, per_level):
                if t['rows'].numel():
                    per_image += torch.bincount(torch.div(t['rows'], level.size, rounding_mode='floor'), minlength=images).float()
            keep = [int(math.floor(self.hard_negative_ratio * max(1.0, float(p)) + 0.5)) for p in per_image]  # JS Math.round
            obj = obj * hard_negative_mask(obj, torch.cat(y_all, 1), keep)
        obj_sum = obj.sum()
        w = self.weights
        loss = (box_sum * w['box'] + obj_sum * w['obj'] + cls_sum * w['cls']) / max(1, total)
        mean_iou = torch.cat(ious).mean() if ious else zero
        return loss, mean_iou


def resize_bilinear(x, h, w):
    """tf.image.resizeBilinear (alignCorners false, halfPixelCenters false) on [N, H, W, C]: src = dst · in/out."""
    n, ih, iw, c = x.shape

    def axis(out_size, in_size):
        src = torch.arange(out_size, dtype=torch.float32, device=x.device) * (in_size / out_size)
        lo = src.floor().clamp(max=in_size - 1)
        frac = src - lo
        lo = lo.long()
        hi = (lo + 1).clamp(max=in_size - 1)
        return lo, hi, frac

    y0, y1, fy = axis(h, ih)
    x0, x1, fx = axis(w, iw)
    top = x[:, y0][:, :, x0] + (x[:, y0][:, :, x1] - x[:, y0][:, :, x0]) * fx[None, None, :, None]
    bottom = x[:, y1][:, :, x0] + (x[:, y1][:, :, x1] - x[:, y1][:, :, x0]) * fx[None, None, :, None]
    return top + (bottom - top) * fy[None, :, None, None]


class SegmentationLoss:
    """The pixel loss (cross-entropy or multiclass focal) + diceWeight x soft Dice, on logits fitted to the mask."""

    def __init__(self, cfg):
        self.pixel = make_loss(cfg['pixel'])
        self.dice = make_loss({'name': 'dice'})
        self.dice_weight = cfg['diceWeight']

    def fit(self, logits, masks):
        h, w = masks.shape[1], masks.shape[2]
        return logits if logits.shape[1] == h and logits.shape[2] == w else resize_bilinear(logits, h, w)

    def __call__(self, outputs, masks):
        """Returns (loss, pixel accuracy)."""
        pixel, dice, accuracy = self.parts(outputs, masks)
        return pixel + dice, accuracy

    def parts(self, outputs, masks, reduce=None):
        """(pixel loss, diceWeight x Dice, pixel accuracy). `reduce(inter, card)`: the Dice's per-class sums of
        the global batch from this rank's (DDP), so the Dice term is the one-process term, the same on every rank."""
        fitted = self.fit(outputs[0], masks)
        q = F.one_hot(masks, fitted.shape[-1]).float()
        pixel = self.pixel(fitted, q)
        dice = self.dice(fitted, q, reduce) * self.dice_weight if self.dice_weight > 0 else pixel.new_zeros(())
        accuracy = (fitted.detach().argmax(-1) == masks).float().mean()
        return pixel, dice, accuracy
