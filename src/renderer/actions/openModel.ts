import { MAX_MODEL_UPLOAD_BYTES } from '../../shared/api';
import { formatBytes } from '../core/format';
import { openProjectText } from './shared';
import type { ActionContext } from './types';

export const isOnnxName = (name: string): boolean => /\.onnx$/i.test(name.trim());

async function base64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * Opens an .onnx model as a project: the host imports it into a new model folder (its weights stay there) and
 * the graph opens unsaved, its runs starting from that folder. `source` is a host path or a file from this computer.
 */
export async function openOnnxModel(ctx: ActionContext, source: { path: string } | { name: string; blob: Blob }): Promise<void> {
  if (!ctx.lab) throw new Error('Opening an .onnx model needs a host connection');
  let args;
  if ('path' in source) args = { path: source.path.trim() };
  else {
    if (source.blob.size > MAX_MODEL_UPLOAD_BYTES)
      throw new Error(`${source.name} is ${formatBytes(source.blob.size)}: too large to upload (the limit is ${formatBytes(MAX_MODEL_UPLOAD_BYTES)}). Put it on the host and type its path in File → Open.`);
    if (source.blob.size === 0) throw new Error(`${source.name} is empty`);
    args = { upload: { name: source.name, data: await base64(source.blob) } };
  }
  ctx.toast(`Importing ${'path' in source ? source.path : source.name}…`, 'info');
  const m = await ctx.lab.importModel(args);
  if (!openProjectText(ctx, { text: m.text, name: m.name, path: null, clean: false, quiet: true })) return;
  ctx.toast(`Opened ${m.name}: its weights are kept in ${m.dir} and its runs start from them${m.notes.length ? ` (${m.notes.join('; ')})` : ''}`, 'success');
}
