import { LabError } from '../../shared/api';

export type UploadFile = (name: string, file: Blob, onProgress?: (fraction: number) => void) => Promise<{ id: string; size: number }>;

/**
 * Uploads a file to the headless host (POST /api/upload): the browser streams it from disk, so a large checkpoint
 * is never read into the page's memory. XMLHttpRequest, for upload progress (fetch has none).
 */
export function createUploader(origin: string, token: string): UploadFile {
  return (name, file, onProgress) =>
    new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${origin}/api/upload?name=${encodeURIComponent(name)}`);
      xhr.setRequestHeader('x-netsmith-token', token);
      xhr.setRequestHeader('content-type', 'application/octet-stream');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
      };
      xhr.onerror = () => reject(new LabError(`uploading ${name} failed: the host did not answer`, 'disconnected'));
      xhr.onload = () => {
        let body: { result?: { id: string; size: number }; error?: { message: string; code: string } } = {};
        try {
          body = JSON.parse(xhr.responseText) as typeof body;
        } catch {
          // not JSON: reported below by status
        }
        if (body.result) resolve(body.result);
        else reject(new LabError(body.error?.message ?? `uploading ${name} failed (${xhr.status})`, body.error?.code ?? 'error'));
      };
      xhr.send(file);
    });
}
