/**
 * PyTorch's C++ warnings (`[W1204 05:28:21.197403829 NNPACK.cpp:56] Could not initialize NNPACK! …`, with a
 * `[rank0]:` prefix under torchrun) can repeat on every call of an op, hundreds of times a run. The run log keeps
 * the first of each and counts the rest, so real messages stay readable.
 */
const CPP_WARNING = /^(?:\[rank\d+\]:)?\[W\d{4} [\d:.]+ ([^\]]+)\]\s*(.*)$/;

export class RepeatedWarnings {
  private readonly seen = new Set<string>();
  private hidden = 0;

  /** Whether the line should reach the run log (every line but a C++ warning already shown). */
  admit(line: string): boolean {
    const m = CPP_WARNING.exec(line.trim());
    if (!m) return true;
    const key = `${m[1]} ${m[2]}`;
    if (!this.seen.has(key)) {
      this.seen.add(key);
      return true;
    }
    this.hidden++;
    return false;
  }

  /** The closing line for the log, when repeats were left out. */
  summary(): string | undefined {
    return this.hidden > 0 ? `(${this.hidden} repeats of the PyTorch warnings above not shown)` : undefined;
  }
}
