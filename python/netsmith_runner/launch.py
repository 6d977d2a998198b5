"""torchrun for the lab's runner: `python -m netsmith_runner.launch [torchrun options]`.

The lab starts this instead of `-m netsmith_runner.run` when a run asks for more than one process. It runs
torchrun (torch.distributed.run) in this process, which the lab owns: when the lab kills it, every rank dies
with it (each rank's parent-death signal; torchrun starts its workers in their own sessions, so a process-group
kill would not reach them). Without rendezvous options it is a one-machine job (--standalone).
"""
import os
import sys

from .run import _die_with_parent


def torchrun_args(argv):
    args = list(argv)
    if not any(a.startswith(('--rdzv', '--master_addr', '--master-addr', '--nnodes', '--standalone')) for a in args):
        args.insert(0, '--standalone')
    return args + ['-m', 'netsmith_runner.run']


def main(argv=None):
    _die_with_parent()
    os.environ['NETSMITH_LAUNCHER_PID'] = str(os.getpid())
    os.environ['NETSMITH_LAB_PIPE'] = '1'
    # The runner sets its own thread count (the lab's init message); this only silences torchrun's notice.
    os.environ.setdefault('OMP_NUM_THREADS', '1')
    from torch.distributed.run import main as torchrun

    torchrun(torchrun_args(sys.argv[1:] if argv is None else argv))


if __name__ == '__main__':
    main()
