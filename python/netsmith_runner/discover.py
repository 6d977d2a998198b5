"""Prints, as one JSON line, what this Python offers the lab: its version, torch's, the devices, torchvision.

Run by the lab's discovery (src/main/engine/torch/discover.ts) with each candidate interpreter. It never fails:
a missing or broken torch is reported in the JSON.
"""
import json
import platform
import sys


def main():
    out = {'python': platform.python_version(), 'executable': sys.executable}
    try:
        import torch
    except Exception as err:  # ImportError, or a broken install raising anything else
        out['error'] = f'{type(err).__name__}: {err}'
        print(json.dumps(out), flush=True)
        return
    out['torch'] = torch.__version__
    devices = []
    try:
        if torch.cuda.is_available():
            for i in range(torch.cuda.device_count()):
                p = torch.cuda.get_device_properties(i)
                devices.append({'kind': 'cuda', 'index': i, 'name': p.name, 'memoryGb': round(p.total_memory / 2**30, 1)})
            out['cudaVersion'] = torch.version.cuda or torch.version.hip
            out['rocm'] = bool(getattr(torch.version, 'hip', None))
    except Exception as err:
        out['cudaError'] = str(err)
    try:
        mps = getattr(torch.backends, 'mps', None)
        if mps is not None and mps.is_available():
            devices.append({'kind': 'mps', 'index': 0, 'name': 'Apple GPU'})
    except Exception:
        pass
    devices.append({'kind': 'cpu', 'index': 0, 'name': platform.processor() or platform.machine(), 'threads': torch.get_num_threads()})
    out['devices'] = devices
    try:
        import torchvision

        out['torchvision'] = torchvision.__version__
    except Exception:
        out['torchvision'] = None
    print(json.dumps(out), flush=True)


if __name__ == '__main__':
    main()
