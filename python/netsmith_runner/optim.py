"""torch.optim with the lab's settings (src/main/engine/train/optimizers.ts follows torch.optim's update rules).

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
    kind = cfg['kind']
    if kind == 'sgd':
        return torch.optim.SGD(groups, lr=lr, momentum=cfg.get('momentum', 0), nesterov=cfg.get('nesterov', False))
    if kind == 'adagrad':
        return torch.optim.Adagrad(groups, lr=lr, lr_decay=cfg.get('lrDecay', 0), initial_accumulator_value=cfg.get('initialAccumulator', 0), eps=cfg.get('eps', 1e-10))
    if kind == 'rmsprop':
        return torch.optim.RMSprop(groups, lr=lr, alpha=cfg.get('alpha', 0.99), eps=cfg.get('eps', 1e-8), momentum=cfg.get('momentum', 0), centered=cfg.get('centered', False))
    betas = (cfg.get('beta1', 0.9), cfg.get('beta2', 0.999))
    if kind == 'adam':
        return torch.optim.Adam(groups, lr=lr, betas=betas, eps=cfg.get('eps', 1e-8), amsgrad=cfg.get('amsgrad', False))
    if kind == 'adamw':
        return torch.optim.AdamW(groups, lr=lr, betas=betas, eps=cfg.get('eps', 1e-8), amsgrad=cfg.get('amsgrad', False))
    raise ValueError(f"the PyTorch engine has no '{kind}' optimizer")
