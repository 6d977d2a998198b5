"""The runner: one process per lab run. The lab (src/main/engine/torch/engine.ts) owns the data, the schedule,
evaluation and checkpoint files; this process owns the model and the optimizer and does the math.

    python -m netsmith_runner.run      (PYTHONPATH = the repository's python/ folder)
    python -m netsmith_runner.launch --nproc_per_node N     (data-parallel under torchrun: distributed.py)

Messages (framing.py): init, train (one batch), eval (one batch → logits), save, load, with replies on stdout.
"""
import importlib.util
import math
import os
import sys
import threading
import traceback

from . import distributed, framing


def _die_with_parent():
    """Linux: the kernel kills this process when the lab's thread that started it goes away."""
    if sys.platform.startswith('linux'):
        try:
            import ctypes
            import signal

            ctypes.CDLL('libc.so.6', use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except Exception:
            pass


def _load_module(path, class_name):
    spec = importlib.util.spec_from_file_location('netsmith_model', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, getattr(module, class_name)


def _quiet(message, payload=None):
    """Ranks other than 0 say nothing: the lab hears rank 0."""


class Runner:
    def __init__(self, init, world=None):
        import torch

        from .losses import make_loss
        from .optim import clip_gradients, make_optimizer, set_learning_rate

        self.clip_gradients = clip_gradients
        from .probes import Probes
        from .tasks import DetectionLoss, SegmentationLoss

        self.torch = torch
        self.world = world or distributed.World({})
        self.send = framing.send if self.world.lead else _quiet
        torch.manual_seed(init['seed'])
        if init.get('threads'):
            torch.set_num_threads(init['threads'])
        self.device = torch.device(init['device'])
        if self.world.parallel and self.device.type == 'cuda':
            self.device = torch.device('cuda', self.world.local_rank)
            torch.cuda.set_device(self.device)
        if init.get('exactMath') and self.device.type == 'cuda':
            # TF32 convolutions and matmuls (Ampere and later) round to 10-bit mantissas: off for parity checks.
            torch.backends.cudnn.allow_tf32 = False
            torch.backends.cuda.matmul.allow_tf32 = False
        module, cls = _load_module(init['modelPy'], init['className'])
        model = cls()
        model.load_state_dict(module.load_safetensors(init['weights']))
        # NETSMITH_TORCH_FLOAT64=1: float64 math throughout, a reference for parity investigations (parity.test.ts).
        self.dtype = torch.float64 if os.environ.get('NETSMITH_TORCH_FLOAT64') == '1' else torch.float32
        self.model = model.to(self.device, self.dtype)
        self.task = init['task']
        named = dict(self.model.named_parameters())
        self.buffers = dict(self.model.named_buffers())
        # The lab's parameter order (its trainable variables), the decay rule and the L1 set come from the lab.
        self.params = [named[p['key']] for p in init['params']]
        self.layer_of = [p['layer'] for p in init['params']]
        decays = [p['decay'] for p in init['params']]
        self.l1 = init.get('l1', 0.0)
        self.l1_params = [named[p['key']] for p in init['params'] if p['decay']] if self.l1 > 0 else []
        trainable = {id(p) for p in self.params}
        for p in self.model.parameters():
            p.requires_grad_(id(p) in trainable)
        # What the training step calls: the model, or DDP around it (which averages the gradients over the ranks).
        self.net = self.model
        if self.world.parallel:
            import warnings

            from torch.nn.parallel import DistributedDataParallel

            # A kernel with one input channel gets its gradient in another (equivalent) stride order: DDP copies it
            # into its bucket and warns once per rank; the result is the same.
            warnings.filterwarnings('ignore', message='Grad strides do not match bucket view strides')
            self.net = DistributedDataParallel(self.model, device_ids=[self.device.index] if self.device.type == 'cuda' else None)
        self.opt = make_optimizer(init['optimizer'], self.params, decays, 0.0, [p.get('lrScale', 1.0) for p in init['params']])
        self.set_learning_rate = set_learning_rate
        self.loss_fn = make_loss(init['loss'])
        # Detection and segmentation: the lab's task losses (tasks.py); classification: the configured loss.
        self.task_loss = None
        if self.task == 'detection':
            self.task_loss = DetectionLoss(init['detection'], self.device)
        elif self.task == 'segmentation':
            self.task_loss = SegmentationLoss(init['segmentation'])
        self.clip = init.get('clip', {'mode': 'none'})  # the TrainConfig's clip: {mode: none | norm | value, value}
        self.probes = Probes(init.get('probes', []), named, self.buffers)
        # Frozen blocks with running statistics (BatchNorm): eval mode inside model.train().
        modules = dict(self.model.named_modules())
        self.frozen_eval = [modules[n] for n in init.get('frozenModules', []) if n in modules and any(True for _ in modules[n].buffers(recurse=False))]

    def _inputs(self, h, payload):
        torch = self.torch
        n, (hh, ww, cc), k = h['n'], h['shape'], h['classes']
        off = 0

        def take(count, dtype, size):
            nonlocal off
            t = torch.frombuffer(bytearray(payload[off:off + count * size]), dtype=dtype) if count else torch.zeros(0, dtype=dtype)
            off += count * size
            return t

        x = take(n * hh * ww * cc, torch.float32, 4).reshape(n, hh, ww, cc)
        y = take(n * k, torch.float32, 4).reshape(n, k)
        labels = take(n, torch.int32, 4).long()
        masks = take(n * hh * ww, torch.uint8, 1).reshape(n, hh, ww).long().to(self.device, non_blocking=True) if h.get('masks') else None
        dev = self.device
        # NHWC → NCHW on the device, contiguous (a permuted view would send convs down their channels-last path).
        x = x.to(dev, self.dtype, non_blocking=True).permute(0, 3, 1, 2).contiguous()
        return x, y.to(dev, self.dtype, non_blocking=True), labels.to(dev, non_blocking=True), masks

    def _outputs(self, out):
        """The model's outputs as a list, NCHW maps turned channels-last as the lab's heads give them."""
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        return [o.permute(0, 2, 3, 1) if o.dim() == 4 else o for o in outs]

    def _logits(self, out):
        return self._outputs(out)[0]

    def train(self, h, payload):
        torch = self.torch
        x, y, labels, masks = self._inputs(h, payload)
        world = self.world
        n = h['n']
        # This rank's slice of the global batch and its share of the global loss (1 and the whole batch alone).
        lo, hi = world.shard(n) if world.parallel else (0, n)
        share = (hi - lo) / n
        if hi == lo:
            # A last batch smaller than the world: this rank trains on one row with weight 0 (DDP needs every rank).
            lo, hi, share = 0, 1, 0.0
        if world.parallel:
            x, y, labels = x[lo:hi], y[lo:hi], labels[lo:hi]
            masks = masks[lo:hi] if masks is not None else None
        probing = h.get('probe', False) and world.lead
        model = self.model
        model.train()
        for m in self.frozen_eval:
            m.eval()
        self.set_learning_rate(self.opt, h['lr'])
        if probing:
            model.netsmith_taps = {}
        outputs = self._outputs(self.net(x))
        logits = outputs[0]
        taps = model.netsmith_taps if probing else None
        model.netsmith_taps = None
        metric_share = share
        global_term = None
        if self.task == 'detection':
            targets = self.task_loss.targets(h['targets'])
            if world.parallel:
                total = sum(int(t['rows'].numel()) for t in targets[0])
                targets = self.task_loss.shard(targets, lo, hi)
                mine = sum(int(t['rows'].numel()) for t in targets[0])
                # Σ over ranks of (rank's sums / the global P) is the global loss; the IoU is a mean over positives.
                loss, metric = self.task_loss(outputs, targets, total=total)
                share, metric_share = (1.0 if share else 0.0), (mine / total if total and share else 0.0)
            else:
                loss, metric = self.task_loss(outputs, targets)
        elif self.task == 'segmentation' and world.parallel:
            # Dice is not a mean over pixels: its sums are the global batch's, so the term is the one-process term.
            reduce = lambda inter, card: distributed.global_sums([inter, card], self.device, 1.0 if share else 0.0)  # noqa: E731
            loss, global_term, metric = self.task_loss.parts(outputs, masks, reduce)
        elif self.task == 'segmentation':
            loss, metric = self.task_loss(outputs, masks)
        else:
            loss = self.loss_fn(logits, y)
            metric = (logits.detach().argmax(-1) == labels).float().mean() if logits.dim() == 2 else torch.zeros((), device=self.device)
        # DDP averages the ranks' gradients: weighting each rank's loss by share × world size makes that average
        # the gradient of the global batch's loss (unequal slices included).
        objective = loss * (share * world.size) if world.parallel else loss
        if global_term is not None:
            objective = objective + global_term * world.size
        penalty = None
        if self.l1_params:
            penalty = self.l1 * sum(p.abs().sum() for p in self.l1_params)
            objective = objective + penalty
        self.opt.zero_grad(set_to_none=True)
        objective.backward()
        if world.parallel:
            sums = distributed.all_sum([loss * share, metric * metric_share], self.device)
            loss, metric = sums[0], sums[1]
            if global_term is not None:
                loss = loss + global_term.detach()
        if penalty is not None:
            loss = loss + penalty
        grads = [p.grad for p in self.params if p.grad is not None]
        norm = self.clip_gradients(grads, self.clip, self.device)
        loss_v, acc_v, norm_v = torch.stack([loss.detach(), metric.detach(), norm.detach()]).tolist()
        if not (math.isfinite(loss_v) and math.isfinite(norm_v)):
            layer = None
            for p, name in zip(self.params, self.layer_of):
                if p.grad is not None and not torch.isfinite(p.grad).all():
                    layer = name
                    break
            self.send({'type': 'nonfinite', 'what': 'gradient' if math.isfinite(loss_v) else 'loss', 'layer': layer})
            return
        old = [w.detach().clone() for w in self.probes.weight_params()] if probing else None
        self.opt.step()
        self.send({'type': 'trained', 'loss': loss_v, 'accuracy': acc_v, 'gradNorm': norm_v})
        if probing:
            layout, data = self.probes.collect(taps, old)
            self.send({'type': 'probe', 'layout': layout}, data)

    def evaluate(self, h, payload):
        torch = self.torch
        x, _, _, _ = self._inputs(h, payload)
        self.model.eval()
        with torch.no_grad():
            outs = [o.float().contiguous().cpu() for o in self._outputs(self.model(x))]
        # Every output (a detector has one per head), channels-last, one after the other.
        framing.send({'type': 'outputs', 'shapes': [list(o.shape) for o in outs]}, b''.join(o.numpy().tobytes() for o in outs))

    def save(self, h):
        """torch.pt (model, optimizer, RNG) for resume, and the weights as .safetensors for the lab."""
        torch = self.torch
        state = {k: v.detach().float().cpu().contiguous() for k, v in self.model.state_dict().items()}
        _write_safetensors(h['weights'], state)
        tmp = h['torch'] + '.tmp'
        torch.save({'model': self.model.state_dict(), 'optimizer': self.opt.state_dict(), 'rng': torch.get_rng_state()}, tmp)
        os.replace(tmp, h['torch'])
        framing.send({'type': 'saved'})

    def load(self, h):
        torch = self.torch
        try:
            source = distributed.share_checkpoint(self.world, h['torch']) if self.world.parallel else h['torch']
            if source is None:
                raise FileNotFoundError(h['torch'])
            ck = torch.load(source, map_location=self.device)
            self.model.load_state_dict(ck['model'])
            self.opt.load_state_dict(ck['optimizer'])
            if 'rng' in ck:
                torch.set_rng_state(ck['rng'].cpu())
        except Exception as err:
            self.send({'type': 'error', 'message': f'the checkpoint {os.path.basename(os.path.dirname(h["torch"]))} cannot be read ({type(err).__name__}: {str(err)[:200]})'})
            return
        self.send({'type': 'loaded'})


def _write_safetensors(path, tensors):
    import json
    import struct

    header, offset, blobs = {'__metadata__': {'format': 'pt', 'generatedBy': 'Netsmith'}}, 0, []
    for name, t in tensors.items():
        b = t.numpy().tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(t.shape), 'data_offsets': [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    head = json.dumps(header).encode()
    head += b' ' * ((8 - (8 + len(head)) % 8) % 8)
    tmp = path + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(struct.pack('<Q', len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def _explain(err):
    text = f'{type(err).__name__}: {err}'
    if 'out of memory' in text.lower():
        return 'the GPU ran out of memory: use a smaller batch size (or a smaller network / input size). ' + text.split('\n')[0][:300]
    return text


def _exit_with_launcher():
    """Under torchrun: die with the launcher (its kill must leave no rank behind), also if it died before prctl."""
    launcher = os.environ.get('NETSMITH_LAUNCHER_PID')
    if launcher and str(os.getppid()) != launcher:
        os._exit(1)


# The messages every rank acts on; eval and save are rank 0's alone.
SHARED_OPS = ('init', 'train', 'load', 'exit')


def main():
    _die_with_parent()
    world = distributed.World()
    if world.parallel:
        _exit_with_launcher()
        if world.lead and os.environ.get('NETSMITH_LAB_PIPE') != '1':
            print('netsmith_runner: rank 0 talks to the lab, so it must run on the lab\'s machine (torchrun --node_rank 0 there)', file=sys.stderr)
            sys.exit(2)
        distributed.start(world)
        if world.lead:
            print(f'world size {world.size}', file=sys.stderr, flush=True)
    # The lab closing our stdin ends the run at once, even mid-step.
    runner = None
    try:
        while True:
            if world.lead:
                try:
                    h, payload = framing.read_frame()
                except framing.Closed:
                    h, payload = {'op': 'exit'}, b''
                if world.parallel and h['op'] in SHARED_OPS:
                    if h['op'] == 'init':
                        distributed.send_init(world, h)
                    else:
                        distributed.broadcast_message(world, h, payload)
            else:
                h, payload = distributed.broadcast_message(world)
                if h['op'] == 'init':
                    h = distributed.receive_init(world, h, payload)
            op = h['op']
            if op == 'init':
                import torch

                runner = Runner(h, world)
                (framing.send if world.lead else _quiet)({'type': 'ready', 'torch': torch.__version__, 'device': str(runner.device), 'worldSize': world.size})
            elif op == 'train':
                runner.train(h, payload)
            elif op == 'eval':
                runner.evaluate(h, payload)
            elif op == 'save':
                runner.save(h)
            elif op == 'load':
                runner.load(h)
            elif op == 'exit':
                break
    except Exception as err:
        traceback.print_exc(file=sys.stderr)
        if world.lead:
            try:
                framing.send({'type': 'error', 'message': _explain(err)})
            except Exception:
                pass
        sys.exit(1)
    distributed.stop()


if __name__ == '__main__':
    threading.current_thread().name = 'netsmith-runner'
    main()
