"""The lab's losses (src/main/engine/train/losses.ts) on logits with the class axis last and soft targets y [M, K].

They follow PyTorch's definitions; these are the same formulas written with torch ops, so that a run on the
PyTorch engine optimises exactly what a TF.js run does.
"""
import torch
import torch.nn.functional as F


def _focal_factor(one_minus_pt, gamma):
    return None if gamma == 0 else one_minus_pt.clamp(1e-12, 1) ** gamma


def dice_sums(logits, q):
    """Soft Dice's per-class sums over every pixel: Σ p·q and Σ p + Σ q (p the softmax, q one-hot)."""
    k = logits.shape[-1]
    p = F.softmax(logits, dim=-1).reshape(-1, k)
    q = q.reshape(-1, k)
    return (p * q).sum(0), p.sum(0) + q.sum(0)


def make_loss(cfg):
    name = cfg['name']  # the lab's loss names (src/shared/training/config.ts LOSSES, plus huber, box, dice)
    if name == 'cross_entropy':
        smoothing = cfg.get('labelSmoothing', 0)
        weights = cfg.get('classWeights')

        def cross_entropy(logits, q):
            k = logits.shape[-1]
            logp = F.log_softmax(logits, dim=-1).reshape(-1, k)
            q = q.reshape(-1, k)
            if smoothing > 0:
                q = q * (1 - smoothing) + smoothing / k
            if weights is not None:
                q = q * torch.tensor(weights, dtype=q.dtype, device=q.device)
            return -(q * logp).sum() / logp.shape[0]

        return cross_entropy
    if name == 'bce':
        smoothing = cfg.get('labelSmoothing', 0)

        def bce(logits, y):
            if smoothing > 0:
                y = y * (1 - smoothing) + smoothing / 2
            return (y * F.softplus(-logits) + (1 - y) * F.softplus(logits)).mean()

        return bce
    if name == 'focal':
        gamma = cfg.get('gamma', 2)
        if cfg.get('mode', 'binary') == 'binary':
            alpha = cfg.get('alpha', 0.25)

            def binary_focal(logits, y):
                p = torch.sigmoid(logits)
                loss = y * F.softplus(-logits) + (1 - y) * F.softplus(logits)
                f = _focal_factor(1 - (p * y + (1 - p) * (1 - y)), gamma)
                if f is not None:
                    loss = loss * f
                if isinstance(alpha, (int, float)):
                    loss = loss * (y * alpha + (1 - y) * (1 - alpha))
                return loss.mean()

            return binary_focal
        alpha = cfg.get('alpha')

        def softmax_focal(logits, q):
            k = logits.shape[-1]
            logp = F.log_softmax(logits, dim=-1).reshape(-1, k)
            terms = -(q.reshape(-1, k) * logp)
            f = _focal_factor(1 - logp.exp(), gamma)
            if f is not None:
                terms = terms * f
            if isinstance(alpha, (int, float)):
                terms = terms * alpha
            elif alpha:
                terms = terms * torch.tensor(alpha, dtype=terms.dtype, device=terms.device)
            return terms.sum() / logp.shape[0]

        return softmax_focal
    if name == 'mse':
        return lambda p, t: ((p - t) ** 2).mean()
    if name == 'l1':
        return lambda p, t: (p - t).abs().mean()
    if name in ('smooth_l1', 'huber'):
        beta = cfg.get('beta', cfg.get('delta', 1.0))
        scale = beta if name == 'huber' else 1.0

        def smooth_l1(p, t):
            d = (p - t).abs()
            return torch.where(d < beta, 0.5 * d * d / beta, d - 0.5 * beta).mean() * scale

        return smooth_l1
    if name == 'dice':
        smooth = cfg.get('smooth', 1e-6)

        def dice(logits, q, reduce=None):
            """reduce: under DDP, turns this rank's per-class sums into the global batch's (see tasks.py)."""
            inter, card = dice_sums(logits, q)
            if reduce is not None:
                inter, card = reduce(inter, card)
            return 1 - ((2 * inter + smooth) / (card + smooth)).mean()

        return dice
    raise ValueError(f"the PyTorch engine has no '{name}' loss yet")
