import { register } from './types';

/** Opens the Export dialog (TF.js, ONNX, PyTorch, graph + picture) for a run: the one given, else the selected or latest completed one. */
export default register('run.export', {
  undoable: false,
  perform: (s, p) => ({ ...s, dialog: { kind: 'export', ...(p?.runId ? { runId: p.runId } : {}) } }),
});
