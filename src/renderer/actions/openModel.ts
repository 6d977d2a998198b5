import { MAX_ONNX_BYTES } from '../../shared/api';
import { formatBytes } from '../core/format';
import { openProjectText } from './shared';
import type { ActionContext } from './types';

export const isOnnxName = (name: string): boolean => /\.onnx$/i.test(name.trim());

/** The extras of LabClient (transport/client.ts) this uses, stated here: the actions are also compiled for node. */
interface FileClient {
  uploadFile?(name: string, file: Blob, onProgress?: (fraction: number) => void): Promise<{ id: string }>;
  pathOfFile?(file: Blob): string | null;
}

/**
 * A file from this computer as importModel takes it: its own path in the app, else streamed to the browser host
 * (POST /api/upload, never read into the page), the upload's id.
 */
async function sourceOf(ctx: ActionContext, name: string, blob: Blob): Promise<{ path: string } | { upload: string }> {
  if (blob.size === 0) throw new Error(`${name} is empty`);
  if (blob.size > MAX_ONNX_BYTES) throw new Error(`${name} is ${formatBytes(blob.size)}: too large for the editor (the limit is ${formatBytes(MAX_ONNX_BYTES)})`);
  const client = ctx.lab as FileClient;
  const path = client.pathOfFile?.(blob);
  if (path) return { path };
  if (!client.uploadFile) throw new Error(`cannot read ${name} from this computer here: type its path on the host in File → Open`);
  const what = `${name} (${formatBytes(blob.size)})`;
  const shown = ctx.progress(`Uploading ${what}…`);
  let percent = -1;
  try {
    const { id } = await client.uploadFile(name, blob, (fraction) => {
      const now = Math.floor(fraction * 100);
      if (now === percent) return;
      percent = now;
      shown.update(`Uploading ${what}… ${now}%`);
    });
    ctx.toast(`Importing ${name}…`, 'info');
    return { upload: id };
  } finally {
    shown.done();
  }
}

/**
 * Opens an .onnx model as a project: the host imports it into a new model folder (its weights stay there) and
 * the graph opens unsaved, its runs starting from that folder. `source` is a host path or a file from this computer.
 */
export async function openOnnxModel(ctx: ActionContext, source: { path: string } | { name: string; blob: Blob }): Promise<void> {
  if (!ctx.lab) throw new Error('Opening an .onnx model needs a host connection');
  const args = 'path' in source ? { path: source.path.trim() } : await sourceOf(ctx, source.name, source.blob);
  if ('path' in args) ctx.toast(`Importing ${'path' in source ? source.path : source.name}…`, 'info');
  const m = await ctx.lab.importModel(args);
  if (!openProjectText(ctx, { text: m.text, name: m.name, path: null, clean: false, quiet: true })) return;
  ctx.toast(`Opened ${m.name}: its weights are kept in ${m.dir} and its runs start from them.${m.notes.length ? ` ${m.notes.join(' ')}` : ''}`, 'success');
}
