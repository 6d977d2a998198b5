import { zipSync } from 'fflate';
import type { ExportResult } from '../../shared/api';

/**
 * "Download all": one zip instead of a download per file (browsers ask, or rename clashing names such as two
 * exports' README.md). The files sit in one folder named after the run and format, as Electron names the folder.
 */
export function exportZip(result: ExportResult, runId: string, decode: (base64: string) => Uint8Array): { name: string; bytes: Uint8Array } {
  const folder = `${runId}-${result.format}`.replace(/[^\w.-]+/g, '_');
  const entries: Record<string, Uint8Array> = {};
  for (const f of result.files) if (f.data !== undefined) entries[`${folder}/${f.name}`] = decode(f.data);
  // Stored (level 0) for weights, which do not compress; deflate for the text files.
  const level = (name: string): 0 | 6 => (/\.(bin|onnx|safetensors)$/.test(name) ? 0 : 6);
  const input = Object.fromEntries(Object.entries(entries).map(([name, bytes]) => [name, [bytes, { level: level(name) }] as [Uint8Array, { level: 0 | 6 }]]));
  return { name: `${folder}.zip`, bytes: zipSync(input, { mtime: new Date() }) };
}
