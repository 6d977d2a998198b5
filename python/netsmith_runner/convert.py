"""Turns a PyTorch checkpoint into .safetensors for the lab's run import (src/main/service/runs/importTorch.ts).

    python -m netsmith_runner.convert IN.pt OUT.safetensors

IN: what the exported train.py writes (a state dict), the runner's torch.pt ({'model': state dict, ...}), or a
{'state_dict': ...} / {'model_state_dict': ...} checkpoint; DistributedDataParallel's 'module.' prefixes go.
Prints one JSON line: {"tensors": n} or {"error": why}.
"""
import json
import sys

from .run import _write_safetensors


def state_dict_of(ck):
    import torch

    if isinstance(ck, torch.nn.Module):
        ck = ck.state_dict()
    if isinstance(ck, dict):
        for key in ('model', 'state_dict', 'model_state_dict'):
            if isinstance(ck.get(key), dict):
                ck = ck[key]
                break
    if not isinstance(ck, dict) or not ck or not all(isinstance(v, torch.Tensor) for v in ck.values()):
        raise ValueError('it holds no state dict (a mapping of parameter names to tensors)')
    return {(k[len('module.'):] if k.startswith('module.') else k): v for k, v in ck.items()}


def main(src, dst):
    import torch

    try:
        try:
            ck = torch.load(src, map_location='cpu', weights_only=True)
        except TypeError:  # torch < 1.13 has no weights_only
            ck = torch.load(src, map_location='cpu')
        state = state_dict_of(ck)
    except Exception as err:
        print(json.dumps({'error': f'{type(err).__name__}: {str(err)[:300]}'}), flush=True)
        return 1
    tensors = {k: v.detach().float().cpu().contiguous() for k, v in state.items() if v.is_floating_point() or v.dtype in (torch.int64, torch.int32)}
    _write_safetensors(dst, tensors)
    print(json.dumps({'tensors': len(tensors)}), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1], sys.argv[2]))
