import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, nodeName } from '../../../src/shared/graph/analyze';
import { escapeXml, networkPicture } from '../../../src/shared/graph/picture';
import { templateById } from '../../../src/shared/templates';
import { GRAPH_SCHEMA_VERSION, type GraphDoc } from '../../../src/shared/graph/types';

/**
 * A tiny XML well-formedness check: every tag closes in order, attributes are quoted, text has no raw `<` or
 * a bare `&` (only the five XML entities and numeric references).
 */
function checkXml(xml: string): void {
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  const text = (t: string): void => {
    assert.ok(!t.includes('<'), `stray '<' in text near ${JSON.stringify(t.slice(0, 60))}`);
    for (const amp of t.matchAll(/&/g)) assert.match(t.slice(amp.index), /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/i, `bare '&' near ${JSON.stringify(t.slice(amp.index, amp.index + 20))}`);
  };
  while ((m = token.exec(xml))) {
    text(xml.slice(last, m.index));
    last = token.lastIndex;
    if (m[0].startsWith('<!--') || m[0].startsWith('<?')) continue;
    const [, close, name, attrs, selfClose] = m;
    for (const a of (attrs ?? '').matchAll(/="([^"]*)"/g)) text(a[1]);
    if (close) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else if (!selfClose) stack.push(name);
  }
  text(xml.slice(last));
  assert.deepEqual(stack, [], `unclosed elements: ${stack.join(', ')}`);
}

const tiny = (labels: string[]): GraphDoc => ({
  schemaVersion: GRAPH_SCHEMA_VERSION,
  meta: { name: 'tiny <net> & co', task: 'classification', input: { shape: [8, 8, 1] } },
  nodes: [
    { id: 'in', type: 'io/input', params: {}, position: { x: 0, y: 0 }, label: 'input' },
    ...labels.map((label, i) => ({ id: `d${i}`, type: 'core/dense', params: { units: 4 }, position: { x: 0, y: 0 }, label })),
  ],
  edges: labels.map((_, i) => ({ id: `e${i}`, source: i === 0 ? 'in' : `d${i - 1}`, sourcePort: 'out', target: `d${i}`, targetPort: 'in' })),
  groups: [],
});

describe('networkPicture', () => {
  for (const id of ['lenet', 'resnet18', 'vit_tiny', 'yolo', 'unet']) {
    it(`${id}: well-formed SVG with every block, no overlapping boxes, totals in the title`, () => {
      const graph = templateById(id)!.build();
      const analysis = analyze(graph);
      const { svg, width, height } = networkPicture(graph, analysis);
      checkXml(svg);
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
      for (const n of graph.nodes) assert.ok(svg.includes(`<title>${escapeXml(nodeName(n))} (`), `${id}: no box for ${nodeName(n)}`);
      assert.ok(svg.includes(escapeXml(graph.meta.name)));
      assert.match(svg, /params · [\d.]+ [kMGT]?FLOPs per sample/);
      // Boxes inside the canvas and apart from each other.
      const boxes = [...svg.matchAll(/<g class="node"[^>]*>.*\n<rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => m.slice(1, 5).map(Number));
      assert.equal(boxes.length, graph.nodes.length);
      for (const [x, y, w, h] of boxes) assert.ok(x >= 0 && y >= 0 && x + w <= width && y + h <= height, `${id}: a box leaves the canvas`);
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const [ax, ay, aw, ah] = boxes[i];
          const [bx, by, bw, bh] = boxes[j];
          assert.ok(ax + aw <= bx || bx + bw <= ax || ay + ah <= by || by + bh <= ay, `${id}: boxes ${i} and ${j} overlap`);
        }
      for (const g of graph.groups) assert.ok(svg.includes(`data-group="${g.id}"`), `${id}: no frame for ${g.name}`);
      // A group's frame holds its members and no other block, and frames do not overlap.
      const ids = [...svg.matchAll(/<g class="node" data-id="([^"]+)"/g)].map((m) => m[1]);
      const frames = [...svg.matchAll(/<g class="frame" data-group="([^"]+)">.*\n<rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => ({ id: m[1], r: m.slice(2, 6).map(Number) }));
      assert.equal(frames.length, graph.groups.length);
      const apart = (a: number[], b: number[]): boolean => a[0] + a[2] <= b[0] || b[0] + b[2] <= a[0] || a[1] + a[3] <= b[1] || b[1] + b[3] <= a[1];
      const inside = (a: number[], f: number[]): boolean => a[0] >= f[0] && a[1] >= f[1] && a[0] + a[2] <= f[0] + f[2] && a[1] + a[3] <= f[1] + f[3];
      for (const f of frames) {
        boxes.forEach((b, i) => {
          const member = graph.nodes.find((n) => n.id === ids[i])?.group === f.id;
          assert.ok(member ? inside(b, f.r) : apart(b, f.r), `${id}: ${ids[i]} ${member ? 'outside' : 'inside'} the frame of ${f.id}`);
        });
        for (const o of frames) if (o !== f) assert.ok(apart(f.r, o.r), `${id}: frames ${f.id} and ${o.id} overlap`);
      }
      if (id === 'resnet18' || id === 'yolo' || id === 'unet') assert.ok(height > 2 * width, `${id}: a long graph is drawn tall (${width}×${height})`);
    });
  }

  it('shows a repeated group once, with its ×N badge, and a collapsed group as one box', () => {
    const vit = templateById('vit_tiny')!.build();
    const { svg } = networkPicture(vit);
    assert.equal(vit.groups[0].repeat, 12);
    assert.equal((svg.match(/class="repeat-badge"/g) ?? []).length, 1);
    assert.match(svg, />×12</);
    const collapsed: GraphDoc = { ...vit, groups: vit.groups.map((g) => ({ ...g, collapsed: true })) };
    const c = networkPicture(collapsed).svg;
    checkXml(c);
    assert.ok(c.includes(`data-id="group:${vit.groups[0].id}"`));
    assert.ok(!c.includes('class="frame"'));
    assert.match(c, />×12</);
    assert.equal((c.match(/<g class="node"/g) ?? []).length, vit.nodes.length - vit.nodes.filter((n) => n.group).length + 1);
  });

  it('escapes <, & and > in labels and the title', () => {
    const { svg } = networkPicture(tiny(['a<b', 'x & y', 'p>q "quoted"']));
    checkXml(svg);
    assert.ok(svg.includes('a&lt;b') && svg.includes('x &amp; y') && svg.includes('p&gt;q &quot;quoted&quot;'));
    assert.ok(svg.includes('tiny &lt;net&gt; &amp; co'));
    assert.ok(!svg.includes('a<b') && !svg.includes('x & y'));
  });

  it('grows with the graph', () => {
    const small = networkPicture(tiny(['d1', 'd2']));
    const big = networkPicture(tiny(Array.from({ length: 12 }, (_, i) => `dense${i}`)));
    assert.ok(big.height > small.height + 10 * 60, `${small.height} → ${big.height}`);
    const narrow = networkPicture(tiny(['d'])).svg.match(/<g class="node" data-id="d0"[^]*?width="([\d.]+)"/)![1];
    const wide = networkPicture(tiny(['a block with a longer name'])).svg.match(/<g class="node" data-id="d0"[^]*?width="([\d.]+)"/)![1];
    assert.ok(Number(wide) > Number(narrow), `box width ${narrow} → ${wide}`);
  });

  it('draws a dark variant and survives an empty graph', () => {
    const dark = networkPicture(tiny(['d1']), undefined, { theme: 'dark' }).svg;
    assert.match(dark, /fill="#1e1e1e"/);
    const empty: GraphDoc = { ...tiny([]), nodes: [], edges: [] };
    const e = networkPicture(empty);
    checkXml(e.svg);
    assert.ok(e.width > 0 && e.height > 0);
  });
});
