// A state dict the lab wrote (its PyTorch export's weights.safetensors, marked generatedBy: Netsmith) loads back
// unchanged, while the same tensors without the mark are read in torchvision's C×H×W flatten order. LeNet has a
// Dense after a Flatten of a 4×4×16 map, the case where the two orders differ.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { compile } from '../../../../src/main/engine/compile/compile';
import { decodeSafetensors, encodeSafetensors } from '../../../../src/main/engine/export/pytorch/safetensors';
import { exportPytorch } from '../../../../src/main/engine/export/pytorch/export';
import { matchStateDict, readSafetensors } from '../../../../src/main/engine/weights/stateDict';
import { templateById } from '../../../../src/shared/templates';
import { useCpu } from '../train/approx';

before(useCpu);

test('the lab\'s own export loads back bit for bit; an unmarked file is taken as torchvision\'s flatten order', () => {
  const graph = templateById('lenet_mnist')!.build();
  const source = compile(graph, { seed: 3 }).model;
  const { weights } = exportPytorch(graph, source);
  const target = compile(graph, { seed: 4 }).model;
  const original = source.weights.map((w) => w.read().dataSync() as Float32Array);

  const marked = matchStateDict(graph, target, readSafetensors(weights));
  assert.equal(marked.report.mismatches.length, 0, marked.report.mismatches.join('\n'));
  marked.values.forEach((v, i) => assert.deepEqual(v, original[i], `${source.weights[i].name} round-trips`));

  const unmarked = readSafetensors(encodeSafetensors(decodeSafetensors(weights)));
  const asTorchvision = matchStateDict(graph, target, unmarked);
  const differ = asTorchvision.values.map((v, i) => v !== undefined && v.some((x, j) => x !== original[i][j]));
  const reordered = source.weights.filter((_, i) => differ[i]).map((w) => w.name);
  assert.equal(reordered.length, 1, `only the Dense after the Flatten is reordered: ${reordered.join(', ')}`);
  assert.match(reordered[0], /kernel/);
});
