import { formatShape } from '../blocks/shapeMath';
import type { AnyBlockDef } from '../blocks/types';
import type { EdgeDoc, Issue, NodeDoc, Shape, Task } from './types';

/** What the head check needs from the analysis of the expanded graph. */
export interface HeadCheckInput {
  task: Task;
  /** The graph's per-sample input shape [H, W, C]. */
  graphInput: readonly number[];
  nodes: readonly NodeDoc[];
  defs: ReadonlyMap<string, AnyBlockDef>;
  incoming: ReadonlyMap<string, readonly EdgeDoc[]>;
  outgoing: ReadonlyMap<string, readonly EdgeDoc[]>;
  /** Inferred output shape of an expanded node (undefined where inference failed upstream). */
  outputOf(id: string): Shape | undefined;
  /** Display name of an expanded node: its document node's label or id. */
  nameOf(id: string): string;
}

/**
 * The model's outputs as the compiler picks them (src/main/engine/compile/walk.ts): the head or detection
 * blocks that feed nothing, else every block with inputs that feeds nothing.
 */
export function modelOutputs(nodes: readonly NodeDoc[], defs: ReadonlyMap<string, AnyBlockDef>, outgoing: ReadonlyMap<string, readonly EdgeDoc[]>): NodeDoc[] {
  const sinks = nodes.filter((n) => !outgoing.has(n.id) && (defs.get(n.id)?.inputs.length ?? 0) > 0);
  const heads = sinks.filter((n) => { const f = defs.get(n.id)?.family; return f === 'head' || f === 'detection'; });
  return heads.length > 0 ? heads : sinks;
}

/**
 * Checks that the network ends in what its task trains on, so a broken head is refused in the editor and not
 * after Start: classification outputs a vector of class scores per sample, detection ends in YOLO heads,
 * segmentation outputs a per-pixel map (another size than the input is a warning: training resizes it). Each
 * issue sits on the output node and leads with what to add and where. The returned issues carry expanded node
 * ids (the caller maps them to documents).
 */
export function checkHeads(c: HeadCheckInput): { issue: Issue; node: string }[] {
  const out: { issue: Issue; node: string }[] = [];
  for (const n of modelOutputs(c.nodes, c.defs, c.outgoing)) {
    const shape = c.outputOf(n.id);
    if (!shape) continue; // an upstream problem, reported there
    const message = c.task === 'classification' ? classificationProblem(c, n, shape) : c.task === 'detection' ? detectionProblem(c, n, shape) : segmentationProblem(c, n, shape);
    if (message) out.push({ node: n.id, issue: { severity: message.severity, code: 'head', message: message.text } });
  }
  return out;
}

interface Problem {
  severity: Issue['severity'];
  text: string;
}

const perSample = formatShape;

function classificationProblem(c: HeadCheckInput, n: NodeDoc, shape: Shape): Problem | undefined {
  if (shape.length === 2) return undefined;
  const name = c.nameOf(n.id);
  const why = `a classifier outputs one vector of class scores per sample, but '${name}' outputs ${perSample(shape)}`;
  const dense = firstPerPositionDense(c, n);
  if (dense) return { severity: 'error', text: `Add Flatten or Global Average Pool before '${c.nameOf(dense)}': ${why}` };
  return { severity: 'error', text: `Add Global Average Pool (or Flatten) and a Classify head after '${name}': ${why}` };
}

/**
 * Walking back from the output over blocks that keep the spatial axes, the earliest Dense that is applied at
 * every position of a feature map: flattening or pooling belongs right before it.
 */
function firstPerPositionDense(c: HeadCheckInput, output: NodeDoc): string | undefined {
  let found: string | undefined;
  let id: string | undefined = output.id;
  const seen = new Set<string>();
  while (id && !seen.has(id)) {
    seen.add(id);
    const def = c.defs.get(id);
    const ins: readonly EdgeDoc[] = c.incoming.get(id) ?? [];
    if (!def || ins.length !== 1) break;
    const before = c.outputOf(ins[0].source);
    if (!before || before.length <= 2) break;
    if (def.family === 'dense' || def.family === 'head') found = id;
    else if (!['activation', 'regularization', 'norm'].includes(def.family)) break;
    id = ins[0].source;
  }
  return found;
}

function detectionProblem(c: HeadCheckInput, n: NodeDoc, shape: Shape): Problem | undefined {
  if (c.defs.get(n.id)?.family === 'detection') return undefined;
  const name = c.nameOf(n.id);
  const fix = shape.length === 4 ? `Add a YOLO Head after '${name}'` : `End the network on a feature map (H×W×C) with a YOLO Head, without flattening`;
  return { severity: 'error', text: `${fix}: a detector ends in YOLO Head blocks (boxes, objectness and classes at each grid cell), but '${name}' outputs ${perSample(shape)}` };
}

function segmentationProblem(c: HeadCheckInput, n: NodeDoc, shape: Shape): Problem | undefined {
  const name = c.nameOf(n.id);
  const [h, w] = c.graphInput;
  if (shape.length !== 4) {
    return { severity: 'error', text: `Keep the spatial axes (no Flatten or global pooling) and end on a Segment head: a segmentation network outputs class scores per pixel (H×W×classes), but '${name}' outputs ${perSample(shape)}` };
  }
  const [, oh, ow] = shape as number[];
  if (h === undefined || w === undefined || (oh === h && ow === w)) return undefined;
  // Training resizes the logits bilinearly to the masks, so another size trains, with blurred boundaries.
  const fix = oh < h && h % oh === 0 && w % ow === 0 && h / oh === w / ow ? `Upsample ×${h / oh} before '${name}'` : `Resize to ${h}×${w} before '${name}'`;
  return { severity: 'warning', text: `${fix} for per-pixel masks: it outputs a ${oh}×${ow} map for ${h}×${w} images, which training resizes bilinearly to the masks (coarse boundaries)` };
}
