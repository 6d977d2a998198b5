import type { GraphDoc } from '../../shared/graph/types';
import { register } from './types';

/** After a successful write: remember the path and the document that was written. */
export default register<{ doc: GraphDoc; path: string | null }>('doc.markSaved', {
  undoable: false,
  perform: (s, p) => ({ ...s, savedDoc: p.doc, path: p.path ?? s.path }),
});
