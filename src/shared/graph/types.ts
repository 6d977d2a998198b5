/** A tensor shape, NHWC, batch first. The batch dimension is `null` (any size). */
export type Dim = number | null;
export type Shape = readonly Dim[];

export const TASKS = ['classification', 'detection', 'segmentation'] as const;
export type Task = (typeof TASKS)[number];

export interface Position {
  x: number;
  y: number;
}

export interface NodeDoc {
  id: string;
  /** Stable serialized block key, e.g. `core/conv2d`. */
  type: string;
  /** The block definition version these params were written for (see block migrations). */
  v?: number;
  /** Optional display name; also used for export names. */
  label?: string;
  params: Record<string, unknown>;
  position: Position;
  /** Id of the group this node belongs to. */
  group?: string;
  /** Weight initialisation of this block, overriding the run's global choice (trainable blocks only). */
  init?: NodeInit;
  /** Frozen: training leaves this block's weights as they are (fine-tuning a pretrained backbone). */
  frozen?: boolean;
  /** Learning-rate multiplier (> 0; absent = 1): the block trains at the run's rate × this (discriminative fine-tuning). */
  lrMultiplier?: number;
}

export const NODE_INITS = ['auto', 'he_normal', 'he_uniform', 'glorot_normal', 'glorot_uniform', 'normal', 'zeros'] as const;
export type NodeInit = (typeof NODE_INITS)[number];

export interface EdgeDoc {
  id: string;
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

/**
 * A composite block: the nodes whose `group` is this id. The group has one entry (every edge entering it
 * comes from one source port) and one exit (every edge leaving it starts at one node port), so it can be
 * chained `repeat` times.
 */
export interface GroupDoc {
  id: string;
  name: string;
  repeat: number;
  collapsed: boolean;
}

export interface GraphMeta {
  name: string;
  task: Task;
  /** Input spec: the per-sample shape `[H, W, C]` fed to the Input block. */
  input: { shape: number[] };
  description?: string;
  /** Pretrained weights the next run starts from ("Load weights…"): matched by block label and shape. */
  weights?: { from: string; label: string };
}

export interface GraphDoc {
  schemaVersion: number;
  meta: GraphMeta;
  nodes: NodeDoc[];
  edges: EdgeDoc[];
  groups: GroupDoc[];
}

export const GRAPH_SCHEMA_VERSION = 2;

export interface Issue {
  severity: 'error' | 'warning';
  code: IssueCode;
  message: string;
  nodeId?: string;
  edgeId?: string;
  groupId?: string;
  param?: string;
}

export type IssueCode =
  | 'cycle'
  | 'dangling-edge'
  | 'unknown-port'
  | 'unconnected-input'
  | 'arity'
  | 'no-input'
  | 'no-output'
  | 'unused-output'
  | 'unreachable'
  | 'shape'
  | 'param'
  | 'unknown-block'
  /** The network's output does not fit its task (classification vector, detection heads, segmentation map). */
  | 'head'
  | 'group';
