import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, errorsOf } from '../../../src/shared/graph/analyze';
import { GraphBuilder } from '../../../src/shared/graph/builder';
import type { GraphDoc, Task } from '../../../src/shared/graph/types';
import { TEMPLATES } from '../../../src/shared/templates';
import { explainRunError } from '../../../src/shared/training/runErrors';

const headIssues = (g: GraphDoc) => analyze(g).issues.filter((i) => i.code === 'head');
const withTask = (g: GraphDoc, task: Task): GraphDoc => ({ ...g, meta: { ...g.meta, task } });

describe('head check: classification', () => {
  it('Input → Dense: the output is a feature map, fix before the Dense', () => {
    const b = new GraphBuilder({ name: 'bad', input: [28, 28, 1] });
    const d = b.add('core/dense', { units: 10 }, b.input(), { id: 'dense_1' });
    const issues = headIssues(b.build());
    assert.equal(issues.length, 1);
    assert.equal(issues[0].severity, 'error');
    assert.equal(issues[0].nodeId, d.node);
    assert.equal(issues[0].message, "Add Flatten or Global Average Pool before 'dense_1': a classifier outputs one vector of class scores per sample, but 'dense_1' outputs 28×28×10");
  });

  it('Conv → ReLU → Dense → ReLU → Dense: points at the first Dense on the feature map', () => {
    const b = new GraphBuilder({ name: 'bad', input: [28, 28, 1] });
    let x = b.add('core/conv2d', { filters: 8 }, b.input());
    x = b.add('act/relu', {}, x);
    x = b.add('core/dense', { units: 32 }, x, { id: 'fc1' });
    x = b.add('act/relu', {}, x);
    const out = b.add('core/dense', { units: 10 }, x, { id: 'fc2' });
    const issues = headIssues(b.build());
    assert.equal(issues.length, 1);
    assert.equal(issues[0].nodeId, out.node, 'the issue sits on the output node');
    assert.match(issues[0].message, /^Add Flatten or Global Average Pool before 'fc1': .* but 'fc2' outputs 28×28×10$/);
  });

  it('a network ending on a conv map asks for pooling and a Classify head after it', () => {
    const b = new GraphBuilder({ name: 'bad', input: [32, 32, 3] });
    const c = b.add('core/conv2d', { filters: 10 }, b.input(), { id: 'conv_last' });
    const [issue] = headIssues(b.build());
    assert.equal(issue.nodeId, c.node);
    assert.match(issue.message, /^Add Global Average Pool \(or Flatten\) and a Classify head after 'conv_last'/);
  });

  it('Flatten → Dense and pooling → Classify are fine, and the start refusal uses the same errors', () => {
    const b = new GraphBuilder({ name: 'ok', input: [28, 28, 1] });
    b.add('core/dense', { units: 10 }, b.add('reshape/flatten', {}, b.input()));
    assert.deepEqual(errorsOf(analyze(b.build())), []);
    const p = new GraphBuilder({ name: 'ok', input: [28, 28, 1] });
    p.add('head/classify', { classes: 10 }, p.add('pool/global_avgpool', {}, p.add('core/conv2d', { filters: 4 }, p.input())));
    assert.deepEqual(errorsOf(analyze(p.build())), []);
  });

  it('a graph the user named keeps the label in the message', () => {
    const b = new GraphBuilder({ name: 'bad', input: [8, 8, 3] });
    const d = b.add('core/dense', { units: 4 }, b.input());
    const g = b.build();
    g.nodes.find((n) => n.id === d.node)!.label = 'scores';
    assert.match(headIssues(g)[0].message, /before 'scores'/);
  });
});

describe('head check: detection', () => {
  it('a detector without a YOLO head is refused with the fix', () => {
    const b = new GraphBuilder({ name: 'det', input: [64, 64, 3], task: 'detection' });
    const c = b.add('core/conv2d', { filters: 16, stride: 2 }, b.input(), { id: 'neck' });
    const [issue] = headIssues(b.build());
    assert.equal(issue.nodeId, c.node);
    assert.equal(issue.message, "Add a YOLO Head after 'neck': a detector ends in YOLO Head blocks (boxes, objectness and classes at each grid cell), but 'neck' outputs 32×32×16");
  });

  it('a classifier graph switched to detection is refused; YOLO heads pass', () => {
    const b = new GraphBuilder({ name: 'cls', input: [32, 32, 3] });
    b.add('head/classify', { classes: 3 }, b.add('pool/global_avgpool', {}, b.add('core/conv2d', { filters: 8 }, b.input())));
    const [issue] = headIssues(withTask(b.build(), 'detection'));
    assert.match(issue.message, /^End the network on a feature map \(H×W×C\) with a YOLO Head.*'classify_1' outputs 3$/);
    const d = new GraphBuilder({ name: 'det', input: [64, 64, 3], task: 'detection' });
    d.add('det/yolo_head', { classes: 3, anchors: 3, stride: 2 }, d.add('core/conv2d', { filters: 16, stride: 2 }, d.input()));
    assert.deepEqual(headIssues(d.build()), []);
  });
});

describe('head check: segmentation', () => {
  const seg = (stride: number, tail?: 'flatten') => {
    const b = new GraphBuilder({ name: 'seg', input: [32, 32, 3], task: 'segmentation' });
    let x = b.add('core/conv2d', { filters: 8, stride }, b.input());
    if (tail) x = b.add('reshape/flatten', {}, x);
    const out = b.add(tail ? 'core/dense' : 'head/segment', tail ? { units: 4 } : { classes: 4 }, x, { id: 'seg_head' });
    return { g: b.build(), out: out.node };
  };

  it('a full-resolution per-pixel map passes', () => {
    assert.deepEqual(headIssues(seg(1).g), []);
  });

  it('a flat output is an error on the output node', () => {
    const { g, out } = seg(1, 'flatten');
    const [issue] = headIssues(g);
    assert.equal(issue.severity, 'error');
    assert.equal(issue.nodeId, out);
    assert.match(issue.message, /outputs class scores per pixel \(H×W×classes\), but 'seg_head' outputs 4$/);
  });

  it('a larger map is a warning too, with the size to resize to', () => {
    const b = new GraphBuilder({ name: 'seg', input: [8, 8, 3], task: 'segmentation' });
    b.add('head/segment', { classes: 2 }, b.add('core/conv2d_transpose', { filters: 4, kernel: 2, stride: 2 }, b.input()), { id: 'seg_head' });
    const [issue] = headIssues(b.build());
    assert.equal(issue.severity, 'warning');
    assert.match(issue.message, /^Resize to 8×8 before 'seg_head' for per-pixel masks: it outputs a 16×16 map for 8×8 images/);
  });

  it('a coarser map is a warning (training resizes it), not a refusal', () => {
    const { g } = seg(2);
    const [issue] = headIssues(g);
    assert.equal(issue.severity, 'warning');
    assert.match(issue.message, /^Upsample ×2 before 'seg_head' for per-pixel masks: it outputs a 16×16 map for 32×32 images/);
    assert.deepEqual(errorsOf(analyze(g)), []);
  });
});

it('every template passes the head check of its task', () => {
  for (const t of TEMPLATES) assert.deepEqual(headIssues(t.build()), [], t.id);
});

describe('a failed run explained', () => {
  const message = 'target shape [32,10] must equal the prediction shape [32,28,28,10] or drop its last axis (class ids)';
  it("with the run's graph: the head problem on its block", () => {
    const b = new GraphBuilder({ name: 'bad', input: [28, 28, 1] });
    const d = b.add('core/dense', { units: 10 }, b.input(), { id: 'dense_1' });
    const e = explainRunError(message, b.build());
    assert.equal(e.message, message);
    assert.equal(e.nodeId, d.node);
    assert.match(e.fix!, /Add Flatten or Global Average Pool before 'dense_1'/);
  });
  it('without a graph: the known engine messages get a fix, others none', () => {
    assert.match(explainRunError(message).fix!, /Add Flatten or Global Average Pool before the last Dense/);
    assert.match(explainRunError('the training worker exited unexpectedly (code 1)').fix!, /lower the batch size/);
    assert.equal(explainRunError('something new').fix, undefined);
  });
});
