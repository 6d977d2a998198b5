import { fileNameFor, serializeProject } from '../core/project';
import { register } from './types';

/** Saves a copy through the browser (a download). */
export default register({
  name: 'file.download',
  label: 'Download project file',
  category: 'File',
  perform(s, _p, ctx) {
    ctx.files.download(fileNameFor(s.doc.meta.name), serializeProject(s.doc));
  },
});
