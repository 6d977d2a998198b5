"""Reference numbers for the engine's training-math tests, computed with PyTorch.

Run with Debian's interpreter (python3-torch 1.13, python3-torchvision 0.14):
    /usr/bin/python3 tests/unit/engine/train/torch_reference.py
The tests pin the printed values as literals; rerun this script after changing an input here.
"""
import math

import torch
import torch.nn.functional as F
from torchvision.ops import (box_convert, complete_box_iou_loss, distance_box_iou_loss,
                             generalized_box_iou_loss, sigmoid_focal_loss)

torch.set_default_dtype(torch.float64)


def show(name, t):
    if isinstance(t, torch.Tensor):
        t = t.detach().flatten().tolist()
    if not isinstance(t, list):
        t = [t]
    print(f"{name}: [{', '.join(f'{x:.10g}' for x in t)}]")


print("# losses")
logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]])
labels = torch.tensor([0, 2])
soft = torch.tensor([[0.7, 0.3, 0.0], [0.0, 0.4, 0.6]])
w = torch.tensor([1.0, 2.0, 0.5])
show("ce", F.cross_entropy(logits, labels))
show("ce_ls0.1", F.cross_entropy(logits, labels, label_smoothing=0.1))
show("ce_w", F.cross_entropy(logits, labels, weight=w))
show("ce_w_ls0.1", F.cross_entropy(logits, labels, weight=w, label_smoothing=0.1))
show("ce_soft", F.cross_entropy(logits, soft))
show("ce_soft_w_ls0.2", F.cross_entropy(logits, soft, weight=w, label_smoothing=0.2))
x = logits.clone().requires_grad_(True)
F.cross_entropy(x, labels, label_smoothing=0.1).backward()
show("ce_ls0.1_grad", x.grad)

bx = torch.tensor([[0.5, -1.0], [2.0, 0.0]])
by = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
show("bce_logits", F.binary_cross_entropy_with_logits(bx, by))
show("bce_logits_posw", F.binary_cross_entropy_with_logits(bx, by, pos_weight=torch.tensor([2.0, 0.5])))
show("bce_probs", F.binary_cross_entropy(torch.sigmoid(bx), by))
show("focal_binary", sigmoid_focal_loss(bx, by, alpha=0.25, gamma=2.0, reduction="mean"))
show("focal_binary_noalpha_g1.5", sigmoid_focal_loss(bx, by, alpha=-1, gamma=1.5, reduction="mean"))


def softmax_focal(z, q, alpha, gamma):
    logp = F.log_softmax(z, dim=-1)
    terms = -q * (1 - logp.exp()) ** gamma * logp
    if alpha is not None:
        terms = terms * alpha
    return terms.sum() / z.shape[0]


onehot = F.one_hot(labels, 3).double()
show("focal_multi_g2", softmax_focal(logits, onehot, None, 2.0))
show("focal_multi_g2_alpha", softmax_focal(logits, onehot, w, 2.0))
show("focal_multi_g0_equals_ce", softmax_focal(logits, onehot, None, 0.0))

p = torch.tensor([0.2, -1.5, 3.0, 0.4])
t = torch.tensor([0.0, 0.0, 1.0, 0.0])
show("mse", F.mse_loss(p, t))
show("l1", F.l1_loss(p, t))
show("smoothl1_b1", F.smooth_l1_loss(p, t, beta=1.0))
show("smoothl1_b0.5", F.smooth_l1_loss(p, t, beta=0.5))
show("huber_d2", F.huber_loss(p, t, delta=2.0))

pred_c = torch.tensor([[5.0, 5.0, 4.0, 6.0], [10.0, 10.0, 2.0, 2.0], [0.0, 0.0, 4.0, 4.0]])
targ_c = torch.tensor([[6.0, 5.0, 4.0, 4.0], [20.0, 20.0, 4.0, 2.0], [0.5, 0.0, 2.0, 3.0]])
pred_x, targ_x = box_convert(pred_c, "cxcywh", "xyxy"), box_convert(targ_c, "cxcywh", "xyxy")
inter_union = []
for a, b in zip(pred_x, targ_x):
    iw = max(0.0, float(min(a[2], b[2]) - max(a[0], b[0])))
    ih = max(0.0, float(min(a[3], b[3]) - max(a[1], b[1])))
    i = iw * ih
    u = float((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1])) - i
    inter_union.append(1 - i / (u + 1e-7))
show("iou_loss", sum(inter_union) / 3)
show("giou_loss", generalized_box_iou_loss(pred_x, targ_x, reduction="mean"))
show("diou_loss", distance_box_iou_loss(pred_x, targ_x, reduction="mean"))
show("ciou_loss", complete_box_iou_loss(pred_x, targ_x, reduction="mean"))
pc = pred_c.clone().requires_grad_(True)
complete_box_iou_loss(box_convert(pc, "cxcywh", "xyxy"), targ_x, reduction="mean").backward()
show("ciou_grad_cxcywh", pc.grad)
# very different aspect ratios: large v, so a differentiated α would change the gradient visibly
# (it would give [-0.03125, 0, -0.19190, 0.04602])
pa = torch.tensor([[0.0, 0.0, 1.0, 4.0]], requires_grad=True)
ta = torch.tensor([[0.5, 0.0, 4.0, 1.0]])
la = complete_box_iou_loss(box_convert(pa, "cxcywh", "xyxy"), box_convert(ta, "cxcywh", "xyxy"), reduction="mean")
la.backward()
show("ciou_aspect_loss", la)
show("ciou_aspect_grad", pa.grad)

seg_logits = torch.tensor([[[[2.0, 0.0, -1.0], [0.5, 1.5, 0.0]],
                            [[0.0, 0.0, 3.0], [1.0, -1.0, 0.5]]]])  # (1, 2, 2, 3) NHWC
seg_labels = torch.tensor([[[0, 1], [2, 0]]])
probs = seg_logits.softmax(-1).reshape(-1, 3)
q = F.one_hot(seg_labels.reshape(-1), 3).double()
inter = (probs * q).sum(0)
card = probs.sum(0) + q.sum(0)
show("dice_loss", 1 - ((2 * inter + 1e-6) / (card + 1e-6)).mean())
show("dice_loss_smooth1", 1 - ((2 * inter + 1) / (card + 1)).mean())

print("# optimizers (theta0 = [1, -2], grads g1..g3, lr 0.1)")
grads = [torch.tensor([[0.5, -1.0]]), torch.tensor([[0.1, 0.3]]), torch.tensor([[-0.2, 0.4]])]


def run(make, grads=grads):
    th = torch.nn.Parameter(torch.tensor([[1.0, -2.0]], dtype=torch.float32))
    opt = make([th])
    out = []
    for g in grads:
        th.grad = g.float().clone()
        opt.step()
        out += th.detach().flatten().tolist()
    return out


cases = {
    "sgd": lambda p: torch.optim.SGD(p, lr=0.1),
    "sgd_wd0.1": lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.1),
    "momentum0.9": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
    "nesterov0.9": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
    "adagrad": lambda p: torch.optim.Adagrad(p, lr=0.1),
    "adagrad_decay0.5_init0.1": lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.5, initial_accumulator_value=0.1),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.1),
    "rmsprop_centered_mom0.5": lambda p: torch.optim.RMSprop(p, lr=0.1, centered=True, momentum=0.5),
    "adam": lambda p: torch.optim.Adam(p, lr=0.1),
    "adam_wd0.1": lambda p: torch.optim.Adam(p, lr=0.1, weight_decay=0.1),
    "adam_amsgrad": lambda p: torch.optim.Adam(p, lr=0.1, amsgrad=True),
    "adamw_wd0.1": lambda p: torch.optim.AdamW(p, lr=0.1, weight_decay=0.1),
}
for name, make in cases.items():
    show(name, run(make))
# shrinking gradients make v decrease, where AMSGrad's running max differs from Adam
shrinking = [torch.tensor([[2.0, -2.0]]), torch.tensor([[0.01, 0.01]]), torch.tensor([[0.01, 0.01]])]
show("adam_shrinking", run(lambda p: torch.optim.Adam(p, lr=0.1), shrinking))
show("amsgrad_shrinking", run(lambda p: torch.optim.Adam(p, lr=0.1, amsgrad=True), shrinking))

print("# schedules")
opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=100, pct_start=0.3,
                                            div_factor=25, final_div_factor=1e4)
lrs = []
for _ in range(100):
    lrs.append(opt.param_groups[0]["lr"])
    opt.step()
    sched.step()
show("onecycle_steps_0_10_29_30_64_99", [lrs[i] for i in (0, 10, 29, 30, 64, 99)])
