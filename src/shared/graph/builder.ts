import { blockByType } from '../blocks';
import { layeredLayout } from './layout';
import { GRAPH_SCHEMA_VERSION, type EdgeDoc, type GraphDoc, type GroupDoc, type NodeDoc, type Task } from './types';

export interface Ref {
  node: string;
  port: string;
}
export type Inputs = Ref | readonly Ref[] | Readonly<Record<string, Ref | readonly Ref[]>>;

const isRef = (v: unknown): v is Ref => typeof v === 'object' && v !== null && 'node' in v && 'port' in v;

/** Builds graph documents in code (templates, tests): `x = b.add('core/conv2d', {filters: 64}, x)`. */
export class GraphBuilder {
  private nodes: NodeDoc[] = [];
  private edges: EdgeDoc[] = [];
  private groups: GroupDoc[] = [];
  private counters = new Map<string, number>();
  private currentGroup: string | undefined;

  constructor(private readonly meta: { name: string; task?: Task; input: number[]; description?: string }) {}

  input(label = 'input'): Ref {
    return this.add('io/input', {}, [], { label });
  }

  add(type: string, params: Record<string, unknown> = {}, inputs: Inputs = [], opts: { label?: string; id?: string } = {}): Ref {
    const def = blockByType(type);
    if (!def) throw new Error(`unknown block type '${type}'`);
    const id = opts.id ?? this.nextId(type);
    this.nodes.push({ id, type, v: def.version, ...(opts.label ? { label: opts.label } : {}), params: { ...params }, position: { x: 0, y: 0 }, ...(this.currentGroup ? { group: this.currentGroup } : {}) });
    const connect = (port: string, refs: Ref | readonly Ref[]): void => {
      for (const r of isRef(refs) ? [refs] : refs) this.edges.push({ id: `e${this.edges.length + 1}`, source: r.node, sourcePort: r.port, target: id, targetPort: port });
    };
    if (isRef(inputs)) connect(def.inputs[0].name, inputs);
    else if (Array.isArray(inputs)) {
      const list = inputs as readonly Ref[];
      if (def.inputs.length === 1) connect(def.inputs[0].name, list);
      else list.forEach((r, i) => connect(def.inputs[i].name, r));
    } else for (const [port, refs] of Object.entries(inputs as Record<string, Ref | readonly Ref[]>)) connect(port, refs);
    return { node: id, port: def.outputs[0] };
  }

  /** Nodes added inside `body` form a group (a composite block), chained `repeat` times. */
  group(name: string, repeat: number, body: () => Ref): Ref {
    if (this.currentGroup) throw new Error('groups do not nest');
    const id = this.nextId('group');
    this.groups.push({ id, name, repeat, collapsed: false });
    this.currentGroup = id;
    try {
      return body();
    } finally {
      this.currentGroup = undefined;
    }
  }

  build(): GraphDoc {
    const positions = layeredLayout(this.nodes, this.edges);
    return {
      schemaVersion: GRAPH_SCHEMA_VERSION,
      meta: { name: this.meta.name, task: this.meta.task ?? 'classification', input: { shape: [...this.meta.input] }, ...(this.meta.description ? { description: this.meta.description } : {}) },
      nodes: this.nodes.map((n) => ({ ...n, position: positions.get(n.id)! })),
      edges: this.edges,
      groups: this.groups,
    };
  }

  private nextId(type: string): string {
    const base = type.split('/').pop()!.replace(/[^a-z0-9]+/gi, '_');
    const n = (this.counters.get(base) ?? 0) + 1;
    this.counters.set(base, n);
    return `${base}_${n}`;
  }
}
