// Opening an .onnx from this computer (File → Open → From this computer…, or a drop): the browser streams it to the
// host (uploadFile, POST /api/upload) and imports the upload by id; the app (Electron) imports it from its own path;
// an empty or too-large file is refused before anything is sent, with a clear message.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImportedModelProject, LabApi, LabArgs } from '../../../src/shared/api';
import { harness, smallNet } from './helpers';

function fakeLab(extras: { upload?: boolean; path?: string | null }) {
  const calls = { imports: [] as LabArgs<'importModel'>[], uploads: [] as { name: string; size: number }[] };
  const lab = {
    importModel: async (a: LabArgs<'importModel'>): Promise<ImportedModelProject> => {
      calls.imports.push(a);
      return { dir: 'models/small-1', name: 'small', text: JSON.stringify(smallNet()), notes: [] };
    },
    ...(extras.upload
      ? {
          uploadFile: async (name: string, file: Blob, onProgress?: (fraction: number) => void) => {
            calls.uploads.push({ name, size: file.size });
            for (const f of [0.004, 0.3, 0.301, 1]) onProgress?.(f);
            return { id: 'a'.repeat(24), size: file.size };
          },
        }
      : {}),
    ...(extras.path !== undefined ? { pathOfFile: () => extras.path ?? null } : {}),
  };
  return { lab: lab as unknown as LabApi, calls };
}

const file = (name: string, size: number) => ({ name, blob: new Blob([new Uint8Array(size)]) });

test('the browser streams a chosen .onnx to the host and imports the upload by id', async () => {
  const { lab, calls } = fakeLab({ upload: true });
  const h = harness(undefined, { lab });
  const r = await h.manager.execute('file.upload', { file: file('model.onnx', 1234) }, 'ui');
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(calls.uploads, [{ name: 'model.onnx', size: 1234 }]);
  assert.deepEqual(calls.imports, [{ upload: 'a'.repeat(24) }]);
  assert.equal(h.store.get().doc.meta.name, 'small');
  // The upload's progress, one line per whole percent, then the import.
  assert.deepEqual(h.toasts.slice(0, 5), ['Uploading model.onnx (1.21 KiB)…', 'Uploading model.onnx (1.21 KiB)… 0%', 'Uploading model.onnx (1.21 KiB)… 30%', 'Uploading model.onnx (1.21 KiB)… 100%', 'Importing model.onnx…']);
});

test('the app imports a dropped .onnx from its path on disk (nothing uploaded)', async () => {
  const { lab, calls } = fakeLab({ upload: true, path: '/home/u/model.onnx' });
  const h = harness(undefined, { lab });
  assert.ok((await h.manager.execute('file.upload', { file: file('model.onnx', 10) }, 'ui')).ok);
  assert.deepEqual(calls.uploads, []);
  assert.deepEqual(calls.imports, [{ path: '/home/u/model.onnx' }]);
});

test('an empty file, a file over the editor limit, or no way to send it: a clear message, nothing sent', async () => {
  const { lab, calls } = fakeLab({ upload: true });
  const h = harness(undefined, { lab });
  const empty = await h.manager.execute('file.upload', { file: file('empty.onnx', 0) }, 'ui');
  assert.ok(!empty.ok && empty.reason === 'error' && /^empty\.onnx is empty$/.test((empty.error as Error).message));
  // A Blob that says it is 1.5 GB (not allocated).
  const huge = await h.manager.execute('file.upload', { file: { name: 'huge.onnx', blob: { size: 1.5 * 1024 ** 3 } as Blob } }, 'ui');
  assert.ok(!huge.ok && huge.reason === 'error');
  assert.match((huge.error as Error).message, /^huge\.onnx is 1\.5 GiB: too large for the editor \(the limit is 1 GiB\)$/);
  assert.deepEqual(calls, { imports: [], uploads: [] });

  const none = fakeLab({});
  const h2 = harness(undefined, { lab: none.lab });
  const r = await h2.manager.execute('file.upload', { file: file('model.onnx', 10) }, 'ui');
  assert.ok(!r.ok && r.reason === 'error');
  assert.match((r.error as Error).message, /type its path on the host in File → Open/);
});
