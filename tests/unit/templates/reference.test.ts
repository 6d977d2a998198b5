/**
 * Templates vs their reference implementations.
 *
 * Cost convention (the one torchvision's model tables and fvcore use):
 *   - MACs = multiply-accumulates of conv, transposed-conv and dense layers (weights × output positions) plus
 *     the two attention matmuls per encoder block (QKᵀ and A·V: 2·N²·D). Bias adds, BatchNorm, activations,
 *     pooling, residual adds and SE channel scaling are not MACs (the app shows them apart as `ops`).
 *   - 1 MAC = 2 FLOPs: `analyze(g).totals.flops === 2 * totals.macs`.
 *   - torchvision's "GFLOPS" column is in fact GMACs under this convention (resnet50: 4.09).
 *   - Params are trainable elements; BatchNorm running statistics are buffers, counted apart.
 *
 * The exact numbers were computed with PyTorch 1.13 / torchvision 0.14 (Debian python3-torchvision) by
 * `/usr/bin/python3 tests/fixtures/reference_models.py`, which also holds the modules that have no torchvision
 * model (LeNet-5, MobileNetV1, UNet-small, YOLO-tiny, YOLO-nano, the small 28×28 / 32×32 variants). ViT-Tiny is
 * torchvision's VisionTransformer in DeiT-Tiny's configuration, whose parameter count equals timm's
 * deit_tiny_patch16_224 (5,717,416).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../src/shared/graph/analyze';
import { templateById, TEMPLATES } from '../../../src/shared/templates';

/** id → [params, MACs] measured with PyTorch (see above). */
const PYTORCH: Record<string, readonly [number, number]> = {
  lenet5: [61_706, 416_520],
  lenet_mnist: [61_706, 416_520],
  cnn_small: [421_738, 4_241_152],
  vgg11: [132_863_336, 7_609_090_048],
  vgg16: [138_357_544, 15_470_264_320],
  resnet18: [11_689_512, 1_814_073_344],
  resnet34: [21_797_672, 3_663_761_408],
  resnet50: [25_557_032, 4_089_184_256],
  resnet_cifar: [77_866, 34_439_808],
  mobilenet_v1: [4_231_976, 568_740_352],
  mobilenet_v2: [3_504_872, 300_774_272],
  mobilenet_v2_cifar: [2_236_682, 87_976_448],
  mobilenet_v3_small: [2_542_856, 56_510_400],
  efficientnet_b0: [5_288_548, 385_814_752],
  vit_tiny: [5_717_416, 1_253_683_200],
  vit_b16: [86_567_656, 17_563_828_224],
  vit_tiny_cifar: [75_082, 5_538_688],
  vit_hybrid: [95_594, 7_005_056],
  efficientformer_tiny: [142_122, 9_527_936],
  unet_small: [1_942_611, 758_644_736],
  yolo_tiny: [7_776_219, 2_119_157_248],
  yolo_nano: [415_153, 25_108_480],
};

/** torchvision's published parameter counts and GFLOPS (= GMACs) at 224×224×3, 1000 classes. */
const TORCHVISION: Record<string, { params: number; gmacs: number }> = {
  resnet18: { params: 11_689_512, gmacs: 1.814 },
  resnet34: { params: 21_797_672, gmacs: 3.664 },
  resnet50: { params: 25_557_032, gmacs: 4.089 },
  vgg11: { params: 132_863_336, gmacs: 7.609 },
  vgg16: { params: 138_357_544, gmacs: 15.47 },
  mobilenet_v2: { params: 3_504_872, gmacs: 0.301 },
  mobilenet_v3_small: { params: 2_542_856, gmacs: 0.057 },
  efficientnet_b0: { params: 5_288_548, gmacs: 0.386 },
  vit_b16: { params: 86_567_656, gmacs: 17.564 },
};

/** Other published counts: MobileNetV1 (the standard PyTorch implementation with BN), LeNet-5, DeiT-Tiny. */
const PUBLISHED_PARAMS: Record<string, number> = { mobilenet_v1: 4_231_976, lenet5: 61_706, vit_tiny: 5_717_416 };

const totals = (id: string) => {
  const t = templateById(id);
  assert.ok(t, `template ${id}`);
  return analyze(t.build()).totals;
};

describe('templates vs reference implementations', () => {
  it('pins every template', () => {
    assert.deepEqual(TEMPLATES.map((t) => t.id).sort(), Object.keys(PYTORCH).sort());
  });

  for (const [id, [params, macs]] of Object.entries(PYTORCH)) {
    it(`${id}: params and MACs equal PyTorch's`, () => {
      const t = totals(id);
      assert.equal(t.params, params);
      assert.equal(t.macs, macs);
      assert.equal(t.flops, 2 * macs, '1 MAC = 2 FLOPs');
      assert.deepEqual(templateById(id)!.reference && [templateById(id)!.reference!.params, templateById(id)!.reference!.macs], [params, macs], 'template.reference');
    });
  }

  for (const [id, ref] of Object.entries(TORCHVISION)) {
    it(`${id}: matches torchvision's table (params exact, GMACs within 2%)`, () => {
      const t = totals(id);
      assert.equal(t.params, ref.params);
      const gmacs = t.macs / 1e9;
      assert.ok(Math.abs(gmacs / ref.gmacs - 1) < 0.02, `${gmacs.toFixed(3)} GMACs vs torchvision ${ref.gmacs}`);
    });
  }

  for (const [id, params] of Object.entries(PUBLISHED_PARAMS)) {
    it(`${id}: ${params.toLocaleString('en')} parameters`, () => assert.equal(totals(id).params, params));
  }
});
