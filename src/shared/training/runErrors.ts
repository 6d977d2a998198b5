import { analyze } from '../graph/analyze';
import type { GraphDoc } from '../graph/types';

/** A failed run's error as the dashboards show it: what happened, and what to change. */
export interface RunErrorExplanation {
  message: string;
  /** What to change, when the lab knows; absent when the message already says it or nothing is known. */
  fix?: string;
  /** The block of the run's graph the fix is about. */
  nodeId?: string;
}

const RULES: { test: RegExp; fix: string }[] = [
  {
    test: /target shape \[[^\]]*\] must equal the prediction shape/,
    fix: "The network's output does not match the labels: a classifier must output one vector of class scores per sample. Add Flatten or Global Average Pool before the last Dense (or end on a Classify head), then start a new run.",
  },
  {
    test: /is a (classification|detection|segmentation) network but .* is a (classification|detection|segmentation) dataset/,
    fix: "Pick a dataset of the graph's task in the Train panel, or change the task in the graph's settings (Inspector, nothing selected).",
  },
  {
    test: /Dataset folder not found|Unknown dataset '/,
    fix: 'Pick a built-in dataset in the Train panel, or give a folder on the host with one subfolder per class (or images/ and labels/ for YOLO boxes).',
  },
  {
    test: /worker (crashed|exited unexpectedly)/,
    fix: 'The training thread stopped, often for lack of memory: lower the batch size or the input size, then Resume continues from the last checkpoint.',
  },
  {
    test: /Kernel '.*' not registered/,
    fix: 'This backend lacks an operation the network uses: choose another backend in the Train panel (Backend), then start a new run.',
  },
];

/**
 * Explains a run's error: the head or graph problem found by the editor's own validation of the run's graph
 * when there is one (it names the block and the fix), else a fix for the known engine messages.
 */
export function explainRunError(message: string, graph?: GraphDoc): RunErrorExplanation {
  if (graph) {
    let issue;
    try {
      issue = analyze(graph).issues.find((i) => i.severity === 'error');
    } catch {
      issue = undefined;
    }
    if (issue) return { message, fix: issue.message, ...(issue.nodeId ? { nodeId: issue.nodeId } : {}) };
  }
  const rule = RULES.find((r) => r.test.test(message));
  return rule ? { message, fix: rule.fix } : { message };
}
