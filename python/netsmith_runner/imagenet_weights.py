"""torchvision's ImageNet weights of one model, through torchvision's own cache (TORCH_HOME/hub/checkpoints):
read from the cache when there, downloaded into it otherwise.

usage: python -m netsmith_runner.imagenet_weights <torchvision model name> <out dir>
writes out/state.pth (the state dict) and out/meta.json ({"classes": [...], "url": ...}); on failure prints one
JSON line {"error": "offline" | "unsupported", "message": ...} and exits with 3.
"""
import json
import os
import sys


def fail(kind, message):
    print(json.dumps({'error': kind, 'message': message}))
    sys.exit(3)


def main():
    name, out = sys.argv[1], sys.argv[2]
    try:
        import torch
        from torchvision import models
        weights = models.get_model_weights(name).DEFAULT
    except Exception as e:  # no torchvision, or one older than 0.14
        fail('unsupported', f'torchvision with get_model_weights (0.14 or later) is needed: {e}')
    try:
        state = weights.get_state_dict(progress=False)
    except Exception as e:
        fail('offline', f'{weights.url} is not in the torchvision cache and cannot be downloaded ({type(e).__name__}: {e})')
    os.makedirs(out, exist_ok=True)
    torch.save(state, os.path.join(out, 'state.pth'))
    with open(os.path.join(out, 'meta.json'), 'w') as f:
        json.dump({'classes': list(weights.meta.get('categories', [])), 'url': weights.url}, f)


if __name__ == '__main__':
    main()
