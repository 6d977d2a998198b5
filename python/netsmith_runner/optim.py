"""torch.optim and gradient clipping with the lab's settings (src/main/engine/train/optimizers.ts follows torch.optim's update rules).

Weight decay applies only to the parameters the lab decays (not biases and norm parameters, unless
decayBiasAndNorm): the lab sends that rule per parameter.
"""
import torch


def make_optimizer(cfg, params, decays, lr):
    """params: list of tensors; decays: list of bools (weight decay applies)."""
    wd = cfg.get('weightDecay', 0.0)
    groups = [
        {'params': [p for p, d in zip(params, decays) if d], 'weight_decay': wd},
        {'params': [p for p, d in zip(params, decays) if not d], 'weight_decay': 0.0},
    ]
    groups = [g for g in groups if g['params']]
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
