import type { RunInfo } from '../core/state';
import { register } from './types';

/** Telemetry from the host updates the run shown in the status bar. */
export default register<{ run: Partial<RunInfo> & { id: string } }>('run.update', {
  undoable: false,
  perform(s, p) {
    const base = s.run && s.run.id === p.run.id ? s.run : { id: p.run.id, state: 'queued', epoch: 0, epochs: 0, step: 0 };
    return { ...s, run: { ...base, ...p.run } };
  },
});
