import { fileNameFor, serializeProject } from '../core/project';
import { register } from './types';

/** Saves a copy through the browser (a download). */
export default register('file.download', {
  perform(s, _p, ctx) {
    ctx.files.download(fileNameFor(s.doc.meta.name), serializeProject(s.doc));
  },
});
