import dagre from '@dagrejs/dagre';
import { blockByType } from '../blocks';
import { formatShape } from '../blocks/shapeMath';
import type { BlockFamily } from '../blocks/types';
import { analyze, nodeName, type Analysis } from './analyze';
import type { GraphDoc, NodeDoc, Shape } from './types';
import { plural } from '../plural';

/**
 * A picture of a network as a standalone SVG document: blocks as rounded boxes (name, block type, key params,
 * output shape, parameters) coloured by block family, edges with arrows, groups as frames with a ×N repeat badge
 * (a collapsed group is one box), and a title with the totals. Pure: the `graph` export writes it as
 * network.svg and the renderer rasterises it to PNG.
 *
 * Layout: dagre (layered, with dummy nodes for long edges, so a skip connection is routed around the blocks
 * it spans instead of through them) with groups as clusters.
 */

export interface PictureOptions {
  /** Light (default; reads well in documents) or dark. */
  theme?: 'light' | 'dark';
  /** Title text; default: the graph's name. */
  title?: string;
}

export interface NetworkPicture {
  svg: string;
  width: number;
  height: number;
}

/** Family colours, as the editor's theme (src/renderer/styles/theme.css) defines them. */
const FAMILY_COLORS: Record<'light' | 'dark', Record<BlockFamily | 'composite' | 'unknown', string>> = {
  light: {
    io: '#6b7686',
    conv: '#2f6fe4',
    dense: '#7b5ce0',
    pool: '#16917f',
    norm: '#c08a12',
    activation: '#d9622b',
    regularization: '#6f7784',
    merge: '#c2459e',
    reshape: '#3c9a3c',
    attention: '#d64d71',
    transformer: '#9b55d3',
    detection: '#b79a12',
    head: '#1b9db0',
    composite: '#4a78b8',
    unknown: '#888888',
  },
  dark: {
    io: '#9aa3b2',
    conv: '#5b9cff',
    dense: '#a98bff',
    pool: '#34b7a7',
    norm: '#e3b341',
    activation: '#ef8a57',
    regularization: '#8e96a3',
    merge: '#e07ac2',
    reshape: '#6cc26c',
    attention: '#f27d9b',
    transformer: '#c58cf0',
    detection: '#e8cf5a',
    head: '#4fc3d4',
    composite: '#7fa7d9',
    unknown: '#777777',
  },
};

const PALETTE = {
  light: { bg: '#ffffff', text: '#1f2328', muted: '#5f6670', edge: '#8c939d', frame: '#f4f6f9', frameStroke: '#b9c0ca', boxBg: '#ffffff' },
  dark: { bg: '#1e1e1e', text: '#e6e6e6', muted: '#a0a6ad', edge: '#7d848c', frame: '#262a30', frameStroke: '#4a5059', boxBg: '#2a2d31' },
};

const FONT = "Inter, 'Segoe UI', 'Helvetica Neue', Arial, sans-serif";
const MONO = "'JetBrains Mono', 'DejaVu Sans Mono', Menlo, Consolas, monospace";
const BOX = { minWidth: 190, maxWidth: 330, height: 64, padX: 12 } as const;
const NAME_PX = 12.5;
const SMALL_PX = 10.5;
const TITLE_PX = 18;
const MARGIN = 24;
const HEADER = 78;
const FRAME_LABEL = 22;

/** Escapes text for SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A conservative width estimate (no font metrics in a pure module): ~0.6 em per character. */
const textWidth = (text: string, px: number, bold = false): number => text.length * px * (bold ? 0.62 : 0.55);

/** Cuts `text` to fit `width` pixels, with an ellipsis. */
function fit(text: string, width: number, px: number, bold = false): string {
  if (textWidth(text, px, bold) <= width) return text;
  const n = Math.max(1, Math.floor(width / (px * (bold ? 0.62 : 0.55))) - 1);
  return text.slice(0, n) + '…';
}

/** 11_689_512 → `11.7M`. */
export function formatCount(n: number): string {
  const a = Math.abs(n);
  for (const [v, u] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) if (a >= v) return `${trim(n / v)}${u}`;
  return String(Math.round(n));
}

/** FLOPs in G (or M/k for small networks): `3.63 GFLOPs`. */
export function formatFlops(n: number): string {
  const a = Math.abs(n);
  for (const [v, u] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) if (a >= v) return `${trim(n / v)} ${u}FLOPs`;
  return `${Math.round(n)} FLOPs`;
}

function trim(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1).replace(/\.0$/, '') : v.toFixed(2).replace(/\.?0+$/, '');
}

function formatValue(v: unknown): string {
  if (Array.isArray(v)) return v.join('×');
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential().replace(/\.?0+e/, 'e');
    return String(+v.toPrecision(3));
  }
  return String(v);
}

/** The first few parameters of a block: `filters 64 · kernel 3 · stride 2`. */
function keyParams(n: NodeDoc, max = 3): string {
  const def = blockByType(n.type);
  if (!def) return '';
  const parts: string[] = [];
  for (const [name, spec] of Object.entries(def.params)) {
    if (parts.length >= max) break;
    if (spec.kind === 'bool') continue;
    parts.push(`${spec.label ?? name} ${formatValue(n.params[name] ?? spec.default)}`);
  }
  return parts.join(' · ');
}

interface Box {
  id: string;
  name: string;
  kind: string;
  params: string;
  shape: string;
  weights: number;
  family: BlockFamily | 'composite' | 'unknown';
  repeat: number;
  width: number;
}

const shapeText = (s: Shape | undefined): string => (s ? formatShape(s) : '—');

/** The picture of `graph`; pass its analysis when you have it (it is recomputed otherwise). */
export function networkPicture(graph: GraphDoc, analysis: Analysis = analyze(graph), opts: PictureOptions = {}): NetworkPicture {
  const theme = opts.theme ?? 'light';
  const colors = FAMILY_COLORS[theme];
  const pal = PALETTE[theme];
  const groups = new Map(graph.groups.map((g) => [g.id, g]));
  const collapsed = new Set(graph.groups.filter((g) => g.collapsed).map((g) => g.id));
  // A node inside a collapsed group is drawn as its group's box.
  const visibleId = (n: NodeDoc): string => (n.group && collapsed.has(n.group) ? `group:${n.group}` : n.id);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));

  const boxes: Box[] = [];
  const sized = (b: Omit<Box, 'width'>): Box => {
    const line2 = b.params ? `${b.kind} · ${b.params}` : b.kind;
    const want = Math.max(textWidth(b.name, NAME_PX, true) + (b.repeat > 1 ? 34 : 0), textWidth(line2, SMALL_PX), textWidth(`${b.shape}  ${formatCount(b.weights)} params`, SMALL_PX)) + 2 * BOX.padX + 6;
    return { ...b, width: Math.round(Math.min(BOX.maxWidth, Math.max(BOX.minWidth, want))) };
  };
  for (const n of graph.nodes) {
    if (n.group && collapsed.has(n.group)) continue;
    const def = blockByType(n.type);
    const info = analysis.nodes[n.id];
    boxes.push(
      sized({
        id: n.id,
        name: nodeName(n),
        kind: def?.title ?? n.type,
        params: keyParams(n),
        shape: shapeText(info?.output),
        weights: info?.cost?.params ?? 0,
        family: def?.family ?? 'unknown',
        repeat: 1,
      }),
    );
  }
  for (const gid of collapsed) {
    const g = groups.get(gid)!;
    const members = graph.nodes.filter((n) => n.group === gid);
    const exit = members.find((m) => graph.edges.some((e) => e.source === m.id && byId.get(e.target)?.group !== gid)) ?? members[members.length - 1];
    const totals = analysis.groups[gid];
    boxes.push(
      sized({
        id: `group:${gid}`,
        name: g.name,
        kind: 'Group',
        params: `${members.length} block${members.length === 1 ? '' : 's'}`,
        shape: shapeText(exit ? analysis.nodes[exit.id]?.output : undefined),
        weights: totals ? totals.params / Math.max(1, totals.copies) : 0,
        family: 'composite',
        repeat: g.repeat,
      }),
    );
  }

  const dg = new dagre.graphlib.Graph({ compound: true, multigraph: true });
  dg.setGraph({ rankdir: 'TB', nodesep: 28, ranksep: 34, edgesep: 14, marginx: 0, marginy: 0 });
  dg.setDefaultEdgeLabel(() => ({}));
  const frames = graph.groups.filter((g) => !g.collapsed && graph.nodes.some((n) => n.group === g.id));
  for (const g of frames) dg.setNode(`frame:${g.id}`, {});
  for (const b of boxes) {
    dg.setNode(b.id, { width: b.width, height: BOX.height });
    const n = byId.get(b.id);
    if (n?.group && !collapsed.has(n.group)) dg.setParent(b.id, `frame:${n.group}`);
  }
  const edges: { v: string; w: string; name: string }[] = [];
  const seen = new Set<string>();
  for (const e of graph.edges) {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (!s || !t) continue;
    const v = visibleId(s);
    const w = visibleId(t);
    const key = `${v}->${w}`;
    if (v === w || seen.has(key)) continue;
    seen.add(key);
    dg.setEdge(v, w, {}, e.id);
    edges.push({ v, w, name: e.id });
  }
  dagre.layout(dg);

  // Frames: the members' bounds plus padding and a label strip; dagre leaves room between clusters.
  const frameRects = frames.map((g) => {
    const members = boxes.filter((b) => byId.get(b.id)?.group === g.id).map((b) => dg.node(b.id));
    const x0 = Math.min(...members.map((m) => m.x - m.width / 2)) - 12;
    const x1 = Math.max(...members.map((m) => m.x + m.width / 2)) + 12;
    const y0 = Math.min(...members.map((m) => m.y - m.height / 2)) - FRAME_LABEL - 6;
    const y1 = Math.max(...members.map((m) => m.y + m.height / 2)) + 10;
    return { g, x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  });

  const t = analysis.totals;
  const title = opts.title ?? graph.meta.name;
  const subtitle = `input ${graph.meta.input.shape.join('×')} · ${graph.meta.task} · ${formatCount(t.params)} params · ${formatFlops(t.flops)} per sample · ${plural(graph.nodes.length, 'block')}`;
  const families = [...new Set(boxes.map((b) => b.family))];

  // Content bounds (dagre coordinates), then shift everything under the header.
  const xs: number[] = [];
  const ys: number[] = [];
  for (const b of boxes) {
    const p = dg.node(b.id);
    xs.push(p.x - b.width / 2, p.x + b.width / 2);
    ys.push(p.y - BOX.height / 2, p.y + BOX.height / 2);
  }
  for (const f of frameRects) {
    xs.push(f.x, f.x + f.w);
    ys.push(f.y, f.y + f.h);
  }
  for (const e of edges) {
    for (const p of dg.edge(e.v, e.w, e.name)?.points ?? []) {
      xs.push(p.x);
      ys.push(p.y);
    }
  }
  const minX = xs.length ? Math.min(...xs) : 0;
  const minY = ys.length ? Math.min(...ys) : 0;
  const contentW = xs.length ? Math.max(...xs) - minX : 0;
  const contentH = ys.length ? Math.max(...ys) - minY : 0;
  const legendW = families.reduce((s, f) => s + 22 + textWidth(f, SMALL_PX), 0);
  const width = Math.ceil(Math.max(contentW, textWidth(title, TITLE_PX, true), textWidth(subtitle, 12), legendW, 260) + 2 * MARGIN);
  const height = Math.ceil(contentH + HEADER + 2 * MARGIN);
  const dx = MARGIN - minX + Math.max(0, (width - 2 * MARGIN - contentW) / 2);
  const dy = MARGIN + HEADER - minY;
  const X = (x: number): number => Math.round((x + dx) * 10) / 10;
  const Y = (y: number): number => Math.round((y + dy) * 10) / 10;

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(FONT)}">`,
    `<title>${escapeXml(title)}</title>`,
    '<defs>',
    `<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,1 L9,5 L0,9 z" fill="${pal.edge}"/></marker>`,
    '</defs>',
    `<rect width="100%" height="100%" fill="${pal.bg}"/>`,
    `<g class="header"><text x="${MARGIN}" y="${MARGIN + 18}" font-size="${TITLE_PX}" font-weight="700" fill="${pal.text}">${escapeXml(title)}</text>`,
    `<text x="${MARGIN}" y="${MARGIN + 40}" font-size="12" fill="${pal.muted}">${escapeXml(subtitle)}</text>`,
  );
  let lx = MARGIN;
  for (const f of families) {
    out.push(`<rect x="${lx}" y="${MARGIN + 52}" width="10" height="10" rx="2" fill="${colors[f]}"/><text x="${lx + 14}" y="${MARGIN + 61}" font-size="${SMALL_PX}" fill="${pal.muted}">${escapeXml(f)}</text>`);
    lx += 22 + textWidth(f, SMALL_PX);
  }
  out.push('</g>');

  out.push('<g class="frames">');
  for (const f of frameRects) {
    const label = fit(f.g.name, f.w - 24 - (f.g.repeat > 1 ? 40 : 0), 11, true);
    out.push(
      `<g class="frame" data-group="${escapeXml(f.g.id)}"><title>${escapeXml(`${f.g.name}${f.g.repeat > 1 ? ` ×${f.g.repeat}` : ''}`)}</title>`,
      `<rect x="${X(f.x)}" y="${Y(f.y)}" width="${Math.round(f.w)}" height="${Math.round(f.h)}" rx="10" fill="${pal.frame}" stroke="${pal.frameStroke}" stroke-dasharray="5 3"/>`,
      `<text x="${X(f.x + 10)}" y="${Y(f.y + 16)}" font-size="11" font-weight="600" fill="${pal.muted}">${escapeXml(label)}</text>`,
    );
    if (f.g.repeat > 1) out.push(badge(X(f.x + f.w - 10), Y(f.y + 4), f.g.repeat, colors.composite));
    out.push('</g>');
  }
  out.push('</g>');

  out.push(`<g class="edges" fill="none" stroke="${pal.edge}" stroke-width="1.4">`);
  for (const e of edges) {
    const pts: { x: number; y: number }[] = dg.edge(e.v, e.w, e.name)?.points ?? [];
    if (pts.length < 2) continue;
    out.push(`<path d="${smoothPath(pts.map((p) => ({ x: X(p.x), y: Y(p.y) })))}" marker-end="url(#arrow)"/>`);
  }
  out.push('</g>');

  out.push('<g class="nodes">');
  boxes.forEach((b, i) => {
    const p = dg.node(b.id);
    const x = X(p.x - b.width / 2);
    const y = Y(p.y - BOX.height / 2);
    const c = colors[b.family];
    const inner = b.width - 2 * BOX.padX - 4;
    const line2 = b.params ? `${b.kind} · ${b.params}` : b.kind;
    const weights = b.weights > 0 ? `${formatCount(b.weights)} params` : '';
    out.push(
      `<g class="node" data-id="${escapeXml(b.id)}" data-family="${b.family}"><title>${escapeXml(`${b.name} (${line2}) → ${b.shape}${weights ? `, ${weights}` : ''}`)}</title>`,
      `<rect x="${x}" y="${y}" width="${b.width}" height="${BOX.height}" rx="8" fill="${pal.boxBg}" stroke="${c}" stroke-width="1.2"/>`,
      `<rect x="${x}" y="${y}" width="${b.width}" height="${BOX.height}" rx="8" fill="${c}" fill-opacity="${theme === 'light' ? 0.1 : 0.16}"/>`,
      `<clipPath id="clip${i}"><rect x="${x}" y="${y}" width="${b.width}" height="${BOX.height}" rx="8"/></clipPath>`,
      `<rect x="${x}" y="${y}" width="5" height="${BOX.height}" fill="${c}" clip-path="url(#clip${i})"/>`,
      `<text x="${x + BOX.padX + 2}" y="${y + 19}" font-size="${NAME_PX}" font-weight="600" fill="${pal.text}">${escapeXml(fit(b.name, inner - (b.repeat > 1 ? 34 : 0), NAME_PX, true))}</text>`,
      `<text x="${x + BOX.padX + 2}" y="${y + 36}" font-size="${SMALL_PX}" fill="${pal.muted}">${escapeXml(fit(line2, inner, SMALL_PX))}</text>`,
      `<text x="${x + BOX.padX + 2}" y="${y + 53}" font-size="${SMALL_PX}" font-family="${escapeXml(MONO)}" fill="${pal.text}">${escapeXml(b.shape)}</text>`,
    );
    if (weights) out.push(`<text x="${x + b.width - BOX.padX}" y="${y + 53}" font-size="${SMALL_PX}" text-anchor="end" fill="${pal.muted}">${escapeXml(weights)}</text>`);
    if (b.repeat > 1) out.push(badge(x + b.width - 8, y + 6, b.repeat, colors.composite));
    out.push('</g>');
  });
  out.push('</g>', '</svg>');
  return { svg: out.join('\n') + '\n', width, height };
}

/** The SVG text of the picture of `graph`. */
export const networkSvg = (graph: GraphDoc, analysis?: Analysis, opts?: PictureOptions): string => networkPicture(graph, analysis, opts).svg;

/** A `×N` pill whose top-right corner is at (right, top). */
function badge(right: number, top: number, n: number, color: string): string {
  const text = `×${n}`;
  const w = Math.round(textWidth(text, 10.5, true) + 12);
  return `<g class="repeat-badge"><rect x="${right - w}" y="${top}" width="${w}" height="16" rx="8" fill="${color}"/><text x="${right - w / 2}" y="${top + 12}" font-size="10.5" font-weight="700" text-anchor="middle" fill="#ffffff">${text}</text></g>`;
}

/** A polyline through dagre's points, its corners rounded with quadratic curves. */
function smoothPath(pts: { x: number; y: number }[]): string {
  const r = (v: number): number => Math.round(v * 10) / 10;
  let d = `M${r(pts[0].x)},${r(pts[0].y)}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const mid = { x: (pts[i].x + pts[i + 1].x) / 2, y: (pts[i].y + pts[i + 1].y) / 2 };
    d += ` Q${r(pts[i].x)},${r(pts[i].y)} ${r(mid.x)},${r(mid.y)}`;
  }
  const last = pts[pts.length - 1];
  return `${d} L${r(last.x)},${r(last.y)}`;
}
