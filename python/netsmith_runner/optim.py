"""torch.optim and gradient clipping with the lab's settings (src/main/engine/train/optimizers.ts follows torch.optim's update rules).

Weight decay applies only to the parameters the lab decays (not biases and norm parameters, unless
decayBiasAndNorm): the lab sends that rule per parameter, and each parameter's learning-rate multiplier (its
block's lrMultiplier): one param group per (decay, multiplier), as torch.optim's discriminative rates.
"""
import torch


def param_groups(params, decays, scales, wd):
    """One group per (decay, learning-rate multiplier), decayed ones first. Each group keeps its multiplier as
    'lr_scale': the step sets its lr to the scheduled rate × lr_scale (set_learning_rate), so a schedule keeps
    the ratios between groups."""
    groups = {}
    for p, d, s in zip(params, decays, scales):
        key = (bool(d), float(s))
        if key not in groups:
            groups[key] = {'params': [], 'weight_decay': wd if d else 0.0, 'lr_scale': float(s)}
        groups[key]['params'].append(p)
    # Decayed groups first (stable), so without multipliers the groups are the two they always were: a checkpoint's
    # optimizer state lists its groups in order.
    return [g for _, g in sorted(groups.items(), key=lambda kv: not kv[0][0])]


def set_learning_rate(opt, lr):
    for g in opt.param_groups:
        g['lr'] = lr * g.get('lr_scale', 1.0)


def make_optimizer(cfg, params, decays, lr, scales=None):
    """params: list of tensors; decays: list of bools (weight decay applies); scales: learning-rate multipliers."""
    wd = cfg.get('weightDecay', 0.0)
    groups = param_groups(params, decays, scales or [1.0] * len(params), wd)
    name = cfg['name']  # the lab's optimizer names (src/shared/training/config.ts OPTIMIZERS)
    if name == 'sgd':
        return torch.optim.SGD(groups, lr=lr)
    if name in ('momentum', 'nesterov'):
        return torch.optim.SGD(groups, lr=lr, momentum=cfg.get('momentum', 0.9), nesterov=name == 'nesterov')
    if name == 'adagrad':
        return torch.optim.Adagrad(groups, lr=lr, lr_decay=cfg.get('lrDecay', 0), initial_accumulator_value=cfg.get('initialAccumulator', 0), eps=cfg.get('epsilon', 1e-10))
    if name == 'rmsprop':
        return torch.optim.RMSprop(groups, lr=lr, alpha=cfg.get('alpha', 0.99), eps=cfg.get('epsilon', 1e-8), momentum=cfg.get('momentum', 0), centered=cfg.get('centered', False))
    betas = (cfg.get('beta1', 0.9), cfg.get('beta2', 0.999))
    if name == 'adam':
        return torch.optim.Adam(groups, lr=lr, betas=betas, eps=cfg.get('epsilon', 1e-8), amsgrad=cfg.get('amsgrad', False))
    if name == 'adamw':
        return torch.optim.AdamW(groups, lr=lr, betas=betas, eps=cfg.get('epsilon', 1e-8), amsgrad=cfg.get('amsgrad', False))
    raise ValueError(f"the PyTorch engine has no '{name}' optimizer")


def clip_gradients(grads, clip, device):
    """The TrainConfig's clip ({mode: none | norm | value, value}) in place, as src/main/engine/train/clipping.ts;
    returns the global L2 norm of the gradients before clipping."""
    norm = torch.sqrt(sum((g * g).sum() for g in grads)) if grads else torch.zeros((), device=device)
    if clip['mode'] == 'norm':
        coef = torch.clamp(clip['value'] / (norm + 1e-6), max=1.0)
        for g in grads:
            g.mul_(coef)
    elif clip['mode'] == 'value':
        for g in grads:
            g.clamp_(-clip['value'], clip['value'])
    return norm
