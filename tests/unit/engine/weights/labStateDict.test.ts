// A state dict the lab wrote (its PyTorch export's weights.safetensors, marked generatedBy: Netsmith; the exported
// train.py's trained.pt, marked in the state dict's _metadata) loads back unchanged, while the same tensors without
// the mark are read in torchvision's C×H×W flatten order. LeNet has a Dense after a Flatten of a 4×4×16 map, the
// case where the two orders differ.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { compile } from '../../../../src/main/engine/compile/compile';
import { exportFiles, writeExportFolder } from '../../../../src/main/engine/export';
import { decodeSafetensors, encodeSafetensors } from '../../../../src/main/engine/export/pytorch/safetensors';
import { exportPytorch } from '../../../../src/main/engine/export/pytorch/export';
import { importState } from '../../../../src/main/engine/weights/importTorch';
import { matchStateDict, readSafetensors, readStateDictFile } from '../../../../src/main/engine/weights/stateDict';
import { adaptToDataset } from '../../../../src/shared/graph/adapt';
import { templateById } from '../../../../src/shared/templates';
import { TORCH_PYTHON } from '../export/formats';
import { useCpu } from '../train/approx';

before(useCpu);
const work = mkdtempSync(join(tmpdir(), 'netsmith-labstate-'));
after(() => rmSync(work, { recursive: true, force: true }));

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

test('train.py\'s trained.pt carries the mark and loads back bit for bit; a plain torch.save of the same model does not', { skip: TORCH_PYTHON ? false : 'no python3 with torch', timeout: 120_000 }, async () => {
  const graph = templateById('lenet_mnist')!.build();
  const source = compile(graph, { seed: 5 }).model;
  const original = source.weights.map((w) => w.read().dataSync() as Float32Array);
  const dir = join(work, 'export');
  await writeExportFolder(dir, await exportFiles('pytorch', graph, source, { epochs: 1, batchSize: 8 }));
  // What train.py's last lines do, on the exported weights: torch.save(lab_state_dict(model), args.out).
  const check = `
import sys, torch
sys.path.insert(0, ${JSON.stringify(dir)})
import train
m = train.load_model()
torch.save(train.lab_state_dict(m), ${JSON.stringify(join(work, 'trained.pt'))})
torch.save(m.state_dict(), ${JSON.stringify(join(work, 'plain.pt'))})
m.load_state_dict(torch.load(${JSON.stringify(join(work, 'trained.pt'))}))  # the mark does not disturb PyTorch's own load
`;
  execFileSync(TORCH_PYTHON!, ['-c', check], { encoding: 'utf8' });
  const target = compile(graph, { seed: 6 }).model;
  const marked = matchStateDict(graph, target, readStateDictFile(readFileSync(join(work, 'trained.pt')), 'trained.pt'));
  assert.equal(marked.report.mismatches.length, 0, marked.report.mismatches.join('\n'));
  marked.values.forEach((v, i) => assert.deepEqual(v, original[i], `${source.weights[i].name} round-trips`));
  const plain = matchStateDict(graph, target, readStateDictFile(readFileSync(join(work, 'plain.pt')), 'plain.pt'));
  const differ = plain.values.filter((v, i) => v !== undefined && v.some((x, j) => x !== original[i][j]));
  assert.equal(differ.length, 1, 'without the mark, the Dense after the Flatten is read in torchvision\'s order');
});

test('the lab\'s own files match by their module names: ViT\'s renamed tensors, and a dotted-label template into its torchvision template with another head', { timeout: 120_000 }, () => {
  // vit_tiny_cifar: encoder blocks and the class token are named differently in torchvision.
  const vit = templateById('vit_tiny_cifar')!.build();
  const vitSource = compile(vit, { seed: 3 }).model;
  const vitBack = matchStateDict(vit, compile(vit, { seed: 4 }).model, readSafetensors(exportPytorch(vit, vitSource).weights));
  assert.deepEqual([vitBack.report.loaded, vitBack.report.mismatches], [vitBack.report.total, []]);
  vitBack.values.forEach((v, i) => assert.deepEqual(v, vitSource.weights[i].read().dataSync(), `${vitSource.weights[i].name} round-trips`));

  // mobilenet_v3_small with a 5-class head, exported by the lab, imported into the template (the head follows the file).
  const graph = adaptToDataset(templateById('mobilenet_v3_small')!.build(), { name: 'five', shape: [224, 224, 3], classes: 5 }).graph;
  const source = compile(graph, { seed: 7 }).model;
  const imported = importState(readSafetensors(exportPytorch(graph, source).weights), 'mobilenet_v3_small', 'weights.safetensors');
  assert.equal(imported.report.mismatches.length, 0, imported.report.mismatches.join('\n'));
  assert.equal(imported.report.loaded, imported.report.total);
  assert.match(imported.info.notes.join(' '), /the file's head has 5 classes/);
  imported.model.weights.forEach((w, i) => assert.deepEqual(w.read().dataSync(), source.weights[i].read().dataSync(), `${w.name} is the exported value`));
});
