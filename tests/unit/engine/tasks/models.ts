import { GraphBuilder, type Ref } from '../../../../src/shared/graph/builder';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { doubleConv } from '../../../../src/shared/templates/composites';
import { convBnAct, finish, maxpool } from '../../../../src/shared/templates/layers';

/**
 * A YOLO-tiny-like detector for small images: conv-BN-LeakyReLU with 2×2 max-pools down to stride 8, then
 * 1×1 and 3×3 convs and a stride-8 head (optionally a second, stride-16 head on a pooled map).
 */
export function tinyDetector(o: { size: number; classes: number; widths?: number[]; anchors?: number; twoScales?: boolean }): GraphDoc {
  const widths = o.widths ?? [16, 32, 64, 128];
  const b = new GraphBuilder({ name: 'Tiny detector', task: 'detection', input: [o.size, o.size, 3] });
  let x: Ref = b.input();
  widths.forEach((w, i) => {
    if (i > 0) x = maxpool(b, x, 2, 2, 0, `pool${i}`);
    x = convBnAct(b, x, { filters: w, kernel: 3, act: 'leaky_relu', label: `backbone.${i}` });
  });
  const top = widths[widths.length - 1];
  x = convBnAct(b, x, { filters: top / 2, kernel: 1, act: 'leaky_relu', label: 'neck.0' });
  const p3 = convBnAct(b, x, { filters: top, kernel: 3, act: 'leaky_relu', label: 'neck.1' });
  const stride = 2 ** (widths.length - 1);
  b.add('det/yolo_head', { classes: o.classes, anchors: o.anchors ?? 3, stride }, p3, { label: 'head8' });
  if (o.twoScales) {
    const down = maxpool(b, p3, 2, 2, 0, 'pool_p4');
    const p4 = convBnAct(b, down, { filters: top, kernel: 3, act: 'leaky_relu', label: 'neck.2' });
    b.add('det/yolo_head', { classes: o.classes, anchors: o.anchors ?? 3, stride: stride * 2 }, p4, { label: 'head16' });
  }
  return finish(b);
}

/** A UNet with two levels (UNet-small's structure at a fraction of its width). */
export function tinyUnet(o: { size: number; classes: number; widths?: number[] }): GraphDoc {
  const widths = o.widths ?? [16, 32];
  const b = new GraphBuilder({ name: 'Tiny UNet', task: 'segmentation', input: [o.size, o.size, 3] });
  let x: Ref = b.input();
  const skips = widths.map((w, i) => {
    const s = doubleConv(b, x, { filters: w, label: `downs.${i}` });
    x = maxpool(b, s, 2, 2, 0, `pool${i + 1}`);
    return s;
  });
  x = doubleConv(b, x, { filters: widths[widths.length - 1] * 2, label: 'bottleneck' });
  [...widths].reverse().forEach((w, i) => {
    const up = b.add('core/conv2d_transpose', { filters: w, kernel: 2, stride: 2, padding: 'valid', pad: 0, outputPadding: 0, bias: true }, x, { label: `ups.${i}` });
    const cat = b.add('merge/concat', { axis: -1 }, [up, skips[widths.length - 1 - i]], { label: `cat${i}` });
    x = doubleConv(b, cat, { filters: w, label: `up_convs.${i}` });
  });
  b.add('head/segment', { classes: o.classes }, x, { label: 'head' });
  return finish(b);
}
