import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { compile } from '../../../src/main/engine/compile/compile';
import { closeDecodePool } from '../../../src/main/engine/data/image/decodePool';
import { encodePng } from '../../../src/main/engine/data/image/encode';
import { LabService } from '../../../src/main/service/labService';
import { RunRegistry } from '../../../src/main/service/runs/registry';
import { LabError } from '../../../src/shared/api';
import { templateById } from '../../../src/shared/templates';
import { jpegBomb, pngBomb, solidPng } from '../engine/data/bombs';
import { fakeRun } from '../engine/predict/helpers';

after(() => closeDecodePool());

const url = (bytes: Uint8Array) => `data:image/png;base64,${Buffer.from(bytes).toString('base64')}`;

test('predict refuses decompression bombs from their header in < 100 ms with a message naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsmith-bomb-'));
  const graph = templateById('lenet_mnist')!.build();
  await fakeRun(join(dir, 'runs'), 'r1', graph, { model: compile(graph, { seed: 1 }).model });
  const lab = new LabService({ kind: 'browser', home: dir, runs: new RunRegistry(join(dir, 'runs')) });
  try {
    await lab.predict({ id: 'r1', image: { dataUrl: url(encodePng(new Uint8Array(28 * 28).fill(9), 28, 28, 1)), name: 'warm.png' } });
    for (const [name, bytes, size] of [
      ['bomb.png', pngBomb(), '20000×20000 \\(400 megapixels\\)'],
      ['bomb.jpg', jpegBomb(), '20000×20000 \\(400 megapixels\\)'],
      ['big.png', solidPng(8000, 8000), '8000×8000 \\(64 megapixels\\)'],
    ] as const) {
      const dataUrl = url(bytes);
      const t = performance.now();
      await assert.rejects(lab.predict({ id: 'r1', image: { dataUrl, name } }), (e: unknown) => {
        assert.ok(e instanceof LabError);
        assert.equal(e.code, 'not-image');
        assert.match(e.message, new RegExp(`^'${name.replace('.', '\\.')}' cannot be read as an image: image is ${size}, over the 50-megapixel limit; scale it down first$`));
        return true;
      });
      const ms = performance.now() - t;
      assert.ok(ms < 100, `${name} refused in ${ms.toFixed(0)} ms`);
    }
  } finally {
    await lab.dispose();
  }
});
