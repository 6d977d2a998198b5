import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection as FlowConnection,
  type Edge,
  type EdgeChange,
  type EdgeTypes,
  type IsValidConnection,
  type Node,
  type NodeChange,
  type NodeTypes,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { blockByType } from '../../shared/blocks';
import { groupBoundary } from '../../shared/graph/expand';
import type { Position } from '../../shared/graph/types';
import { canConnect, resolveViewConnection } from '../core/connect';
import { buildView, DEFAULT_NODE_SIZE, viewToDocNodes, type Size, type ViewNode } from '../core/view';
import { ContextMenu, type MenuEntry } from '../app/ContextMenu';
import { useEditor, useEditorState } from '../app/context';
import { isMac } from '../app/editor';
import { BlockNode } from './BlockNode';
import { ConnectionHint } from './ConnectionHint';
import { FrameNode } from './FrameNode';
import { GroupNode } from './GroupNode';
import { ShapeEdge } from './ShapeEdge';

/** Palette items are dragged with this MIME type: `{kind: 'block' | 'composite' | 'library', id}`. */
export const DND_MIME = 'application/x-netsmith-block';
const READABLE_ZOOM = 0.7;

const nodeTypes = { block: BlockNode, group: GroupNode, frame: FrameNode } satisfies NodeTypes;
const edgeTypes = { shape: ShapeEdge } satisfies EdgeTypes;

const NODE_MENU: MenuEntry[] = [
  { action: 'edit.copy' }, { action: 'edit.cut' }, { action: 'edit.duplicate' }, { action: 'edit.delete' }, 'separator',
  { action: 'group.create' }, { action: 'group.ungroup' }, { action: 'group.toggleCollapse' }, { action: 'group.saveToLibrary' },
];
const PANE_MENU: MenuEntry[] = [{ action: 'edit.paste' }, { action: 'edit.selectAll' }, 'separator', { action: 'graph.autoLayout' }, { action: 'view.fit' }];
const EDGE_MENU: MenuEntry[] = [{ action: 'edit.delete', label: 'Delete connection' }];

/** The cached object of each item that did not change (the cache then holds this render's items). */
function reuse<T extends { id: string }>(cache: Map<string, T>, fresh: T[], same: (a: T, b: T) => boolean): T[] {
  const out = fresh.map((f) => {
    const old = cache.get(f.id);
    return old && same(old, f) ? old : f;
  });
  cache.clear();
  for (const o of out) cache.set(o.id, o);
  return out;
}

/** `prev` itself when `next` holds the same items: React Flow then skips its work on an unchanged list (its edge
 * lookup is rebuilt for every edge of a new edges array, a few ms on a 500-block graph at each keystroke). */
function sameList<T>(prev: T[] | undefined, next: T[]): T[] {
  return prev && prev.length === next.length && next.every((x, i) => x === prev[i]) ? prev : next;
}

const sameMeasure = (a: { width?: number; height?: number } | undefined, b: { width?: number; height?: number } | undefined): boolean => a === b || (!!a && !!b && a.width === b.width && a.height === b.height);
const sameData = (a: Record<string, unknown>, b: Record<string, unknown>): boolean => a === b || (Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => a[k] === b[k]));
const sameNode = (a: Node, b: Node): boolean =>
  a.type === b.type && a.position.x === b.position.x && a.position.y === b.position.y && !!a.selected === !!b.selected && a.width === b.width && a.height === b.height && sameMeasure(a.measured, b.measured) && sameData(a.data, b.data);
const sameEdge = (a: Edge, b: Edge): boolean =>
  a.source === b.source && a.target === b.target && a.sourceHandle === b.sourceHandle && a.targetHandle === b.targetHandle && !!a.selected === !!b.selected && sameData(a.data ?? {}, b.data ?? {});

/** Above this many canvas items only those in the viewport are in the page (React Flow's onlyRenderVisibleElements). */
const RENDER_VISIBLE_ONLY_ABOVE = 200;

const sameSize = (a: Size | undefined, b: Size): boolean => !!a && Math.abs(a.width - b.width) < 0.5 && Math.abs(a.height - b.height) < 0.5;

function CanvasInner() {
  const editor = useEditor();
  const { manager, store } = editor;
  const rf = useReactFlow();
  const doc = useEditorState((s) => s.doc);
  const selection = useEditorState((s) => s.selection);
  const theme = useEditorState((s) => s.prefs.theme);
  const minimap = useEditorState((s) => s.prefs.minimap);
  const snap = useEditorState((s) => s.prefs.snap);
  const wrapper = useRef<HTMLDivElement>(null);
  const [sizes, setSizes] = useState<Map<string, Size>>(() => new Map());
  const [drag, setDrag] = useState<Record<string, Position> | null>(null);
  const [menu, setMenu] = useState<{ x: number; y: number; items: MenuEntry[] } | null>(null);
  const sizesRef = useRef(sizes);
  sizesRef.current = sizes;
  const dragRef = useRef(drag);
  dragRef.current = drag;

  const base = useMemo(() => buildView(doc, sizes), [doc, sizes]);
  const baseRef = useRef(base);
  baseRef.current = base;
  const view = useMemo(() => (drag ? buildView(doc, sizes, drag) : base), [doc, sizes, drag, base]);

  // React Flow re-renders every node whose object changed: a node keeps its object while nothing of it changes, so
  // dragging one block of a 500-block graph renders that block (and its edges), not all of them.
  const nodeCache = useRef(new Map<string, Node>());
  const edgeCache = useRef(new Map<string, Edge>());
  const nodesRef = useRef<Node[]>(undefined);
  const edgesRef = useRef<Edge[]>(undefined);
  const nodes = useMemo<Node[]>(() => {
    const byId = new Map(doc.nodes.map((n) => [n.id, n]));
    const sel = new Set(selection.nodes);
    const fresh = view.nodes.map((v): Node => {
      const measured = sizes.get(v.id);
      if (v.kind === 'block') return { id: v.id, type: 'block', position: v.position, data: byId.get(v.docId)! as unknown as Record<string, unknown>, selected: sel.has(v.docId), ...(measured ? { measured } : {}) };
      if (v.kind === 'group') {
        const exit = groupBoundary(doc, v.groupId).exit?.node;
        return { id: v.id, type: 'group', position: v.position, data: { groupId: v.groupId, exit }, selected: v.members.every((m) => sel.has(m)), ...(measured ? { measured } : {}) };
      }
      return {
        id: v.id,
        type: 'frame',
        position: v.position,
        data: { groupId: v.groupId },
        width: v.width,
        height: v.height,
        style: { width: v.width, height: v.height },
        selectable: false,
        focusable: false,
        dragHandle: '.frame-header',
        zIndex: -1,
        measured: { width: v.width, height: v.height },
      };
    });
    return (nodesRef.current = sameList(nodesRef.current, reuse(nodeCache.current, fresh, sameNode)));
  }, [view, doc, selection.nodes, sizes]);

  const edges = useMemo<Edge[]>(() => {
    const sel = new Set(selection.edges);
    const fresh = view.edges.map((e): Edge => ({ id: e.id, type: 'shape', source: e.source, sourceHandle: e.sourceHandle, target: e.target, targetHandle: e.targetHandle, data: { edgeId: e.edgeId }, selected: sel.has(e.edgeId) }));
    return (edgesRef.current = sameList(edgesRef.current, reuse(edgeCache.current, fresh, sameEdge)));
  }, [view.edges, selection.edges]);

  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      const d = store.get().doc;
      let nextSizes: Map<string, Size> | null = null;
      let nextDrag: Record<string, Position> | null = null;
      const add = new Set<string>();
      const remove = new Set<string>();
      for (const c of changes) {
        if (c.type === 'dimensions' && c.dimensions) {
          if (c.id.startsWith('frame:')) continue;
          if (!sameSize((nextSizes ?? sizesRef.current).get(c.id), c.dimensions)) (nextSizes ??= new Map(sizesRef.current)).set(c.id, c.dimensions);
        } else if (c.type === 'position' && c.position && c.dragging) {
          nextDrag ??= { ...(dragRef.current ?? {}) };
          const v: ViewNode | undefined = baseRef.current.nodes.find((n) => n.id === c.id);
          if (!v) continue;
          if (v.kind === 'block') nextDrag[v.docId] = c.position;
          else {
            const dx = c.position.x - v.position.x;
            const dy = c.position.y - v.position.y;
            for (const m of v.members) {
              const p = d.nodes.find((n) => n.id === m)!.position;
              nextDrag[m] = { x: p.x + dx, y: p.y + dy };
            }
          }
        } else if (c.type === 'select') {
          for (const id of viewToDocNodes(d, c.id)) (c.selected ? add : remove).add(id);
        }
      }
      if (nextSizes) setSizes(nextSizes);
      if (nextDrag) setDrag(nextDrag);
      if (add.size || remove.size) {
        const cur = store.get().selection.nodes.filter((id) => !remove.has(id) || add.has(id));
        for (const id of add) if (!cur.includes(id)) cur.push(id);
        void manager.execute('graph.select', { nodes: cur }, 'ui');
      }
    },
    [manager, store],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      const add = new Set<string>();
      const remove = new Set<string>();
      const byView = new Map(baseRef.current.edges.map((e) => [e.id, e.edgeId]));
      for (const c of changes) if (c.type === 'select') (c.selected ? add : remove).add(byView.get(c.id) ?? c.id);
      if (!add.size && !remove.size) return;
      const cur = store.get().selection.edges.filter((id) => !remove.has(id) || add.has(id));
      for (const id of add) if (!cur.includes(id)) cur.push(id);
      void manager.execute('graph.select', { edges: cur }, 'ui');
    },
    [manager, store],
  );

  const onNodeDragStop = useCallback(() => {
    const positions = dragRef.current;
    if (!positions) return;
    void manager.execute('graph.moveNodes', { positions }, 'ui').then(() => setDrag(null));
  }, [manager]);

  const isValidConnection = useCallback<IsValidConnection>(
    (c) => {
      const d = store.get().doc;
      const r = resolveViewConnection(d, c);
      return r.ok && canConnect(d, r.connection).ok;
    },
    [store],
  );

  const onConnect = useCallback(
    (c: FlowConnection) => {
      const r = resolveViewConnection(store.get().doc, c);
      if (r.ok) void manager.execute('graph.connect', r.connection, 'ui');
    },
    [manager, store],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(DND_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const raw = e.dataTransfer.getData(DND_MIME);
      if (!raw) return;
      e.preventDefault();
      let item: { kind: string; id: string };
      try {
        item = JSON.parse(raw) as { kind: string; id: string };
      } catch {
        return;
      }
      const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const grid = store.get().prefs.snap ? 10 : 1;
      const position = { x: Math.round((p.x - DEFAULT_NODE_SIZE.width / 2) / grid) * grid, y: Math.round((p.y - DEFAULT_NODE_SIZE.height / 2) / grid) * grid };
      if (item.kind === 'block') void manager.execute('graph.addBlock', { type: item.id, position }, 'ui');
      else if (item.kind === 'composite') void manager.execute('graph.insertComposite', { id: item.id, position }, 'ui');
      else if (item.kind === 'library') void manager.execute('library.insert', { id: item.id, position }, 'ui');
    },
    [manager, rf, store],
  );

  const onNodeContextMenu = useCallback(
    (e: ReactMouseEvent, node: Node) => {
      e.preventDefault();
      const s = store.get();
      const ids = viewToDocNodes(s.doc, node.id);
      if (!ids.every((id) => s.selection.nodes.includes(id))) void manager.execute('graph.select', { nodes: ids, edges: [] }, 'ui');
      setMenu({ x: e.clientX, y: e.clientY, items: NODE_MENU });
    },
    [manager, store],
  );
  const onPaneContextMenu = useCallback((e: ReactMouseEvent | MouseEvent) => {
    e.preventDefault();
    setMenu({ x: e.clientX, y: e.clientY, items: PANE_MENU });
  }, []);
  const onEdgeContextMenu = useCallback(
    (e: ReactMouseEvent, edge: Edge) => {
      e.preventDefault();
      const id = (edge.data as { edgeId?: string } | undefined)?.edgeId ?? edge.id;
      void manager.execute('graph.select', { nodes: [], edges: [id] }, 'ui');
      setMenu({ x: e.clientX, y: e.clientY, items: EDGE_MENU });
    },
    [manager],
  );
  const closeMenu = useCallback(() => setMenu(null), []);

  // Lend the actions what only the canvas knows: the viewport and measured sizes.
  useEffect(() => {
    editor.setView({
      fitView: (opts) =>
        setTimeout(() => {
          const all = rf.getNodes();
          const r = wrapper.current?.getBoundingClientRect();
          if (!opts?.readable || !r || all.length === 0) return void rf.fitView({ padding: 0.12, duration: 200, maxZoom: 1.1 });
          // A deep network fitted whole is unreadable: show its top at a readable zoom instead.
          const b = rf.getNodesBounds(all);
          const fit = Math.min((r.width * 0.88) / b.width, (r.height * 0.88) / b.height, 1.1);
          if (fit >= READABLE_ZOOM) return void rf.fitView({ padding: 0.12, duration: 0, maxZoom: 1.1 });
          const zoom = Math.min(1, Math.max(READABLE_ZOOM, (r.width * 0.9) / b.width));
          void rf.setViewport({ x: r.width / 2 - (b.x + b.width / 2) * zoom, y: 24 - b.y * zoom, zoom }, { duration: 0 });
        }, 60),
      focus(ids) {
        const d = store.get().doc;
        const pts = ids.map((id) => d.nodes.find((n) => n.id === id)).filter((n) => !!n);
        if (pts.length === 0) return;
        const sz = (id: string) => sizesRef.current.get(id) ?? DEFAULT_NODE_SIZE;
        const minX = Math.min(...pts.map((n) => n.position.x));
        const minY = Math.min(...pts.map((n) => n.position.y));
        const maxX = Math.max(...pts.map((n) => n.position.x + sz(n.id).width));
        const maxY = Math.max(...pts.map((n) => n.position.y + sz(n.id).height));
        const zoom = Math.min(Math.max(rf.getZoom(), 0.75), 1.2);
        void rf.setCenter((minX + maxX) / 2, (minY + maxY) / 2, { zoom, duration: 250 });
      },
      center() {
        const r = wrapper.current?.getBoundingClientRect();
        if (!r) return { x: 0, y: 0 };
        return rf.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
      },
      sizes: () => sizesRef.current,
    });
  }, [editor, rf, store]);

  return (
    <div className="canvas" ref={wrapper} data-testid="canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onDrop={onDrop}
        onDragOver={onDragOver}
        onNodeContextMenu={onNodeContextMenu}
        onPaneContextMenu={onPaneContextMenu}
        onEdgeContextMenu={onEdgeContextMenu}
        onPaneClick={closeMenu}
        colorMode={theme}
        snapToGrid={snap}
        snapGrid={[10, 10]}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={isMac ? 'Meta' : 'Control'}
        disableKeyboardA11y
        fitView
        fitViewOptions={{ padding: 0.12, maxZoom: 1.1 }}
        minZoom={0.05}
        maxZoom={2.5}
        connectionRadius={28}
        onlyRenderVisibleElements={nodes.length > RENDER_VISIBLE_ONLY_ABOVE}
        proOptions={{ hideAttribution: true }}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
        {minimap && <MiniMap pannable zoomable nodeClassName={miniMapClass} nodeStrokeWidth={0} maskStrokeWidth={1} style={{ width: 150, height: 110 }} />}
        <Controls showInteractive={false} position="bottom-left" />
        <ConnectionHint />
      </ReactFlow>
      {menu && <ContextMenu x={menu.x} y={menu.y} items={menu.items} onClose={closeMenu} />}
    </div>
  );
}

function miniMapClass(n: Node): string {
  if (n.type === 'frame') return 'mm-frame';
  if (n.type === 'group') return 'mm-group';
  const type = (n.data as { type?: string }).type;
  return `mm-fam-${(type && blockByType(type)?.family) || 'unknown'}`;
}

export function Canvas() {
  return (
    <ReactFlowProvider>
      <CanvasInner />
    </ReactFlowProvider>
  );
}
