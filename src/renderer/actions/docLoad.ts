import type { GraphDoc } from '../../shared/graph/types';
import { loadDoc } from '../core/state';
import { register } from './types';

/** Replaces the document (open, new, template, recovery): a fresh history. */
export default register<{ graph: GraphDoc; path: string | null; clean: boolean }>('doc.load', {
  undoable: false,
  perform: (s, p) => ({ ...loadDoc(s, p.graph, p.path, p.clean), dialog: null }),
});
