/** Saves a blob through the browser (a download; Electron asks where to save it). */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 2000);
}

/** A base64 payload (exportRun's file contents) as bytes. */
export function base64Bytes(data: string): Uint8Array<ArrayBuffer> {
  const bin = atob(data);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

const MIME: Record<string, string> = { json: 'application/json', svg: 'image/svg+xml', md: 'text/markdown', py: 'text/x-python', txt: 'text/plain', png: 'image/png' };
export const mimeOf = (name: string): string => MIME[name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';

/** Draws an SVG document onto a canvas at `scale`× and encodes it as PNG (there is no rasteriser on the host). */
export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Blob> {
  // Browsers cap canvases (Chromium: 16384 px a side, ~268M pixels): a very long network is drawn smaller.
  const fit = Math.min(scale, 16384 / width, 16384 / height, Math.sqrt(200e6 / (width * height)));
  const img = new Image();
  img.decoding = 'async';
  const loaded = new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('the picture could not be drawn'));
  });
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await loaded;
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * fit));
  canvas.height = Math.max(1, Math.round(height * fit));
  const g = canvas.getContext('2d');
  if (!g) throw new Error('no 2D canvas to draw the picture on');
  g.scale(fit, fit);
  g.drawImage(img, 0, 0, width, height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'));
}

/** `12345` → `12.1 KiB`. */
export function formatSize(n: number): string {
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}
