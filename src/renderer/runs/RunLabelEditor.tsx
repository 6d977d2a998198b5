import { useState } from 'react';
import type { RunSummary } from '../../shared/api';
import { parseTags } from '../../shared/training/runName';
import { useEditor } from '../app/context';

/** Rename a run and set its tags; the host writes them to the run's run.json (atomically) and reports the new summary. */
export function RunLabelEditor({ run, onSaved }: { run: RunSummary; onSaved(r: RunSummary): void }) {
  const { lab } = useEditor();
  const [name, setName] = useState(run.name);
  const [tags, setTags] = useState((run.tags ?? []).join(', '));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dirty = name.trim() !== run.name || parseTags(tags).join('\n') !== (run.tags ?? []).join('\n');
  const save = async (): Promise<void> => {
    if (!lab || !dirty) return;
    if (!name.trim()) return setError('A run needs a name.');
    setBusy(true);
    setError(null);
    try {
      onSaved(await lab.updateRun({ id: run.id, name: name.trim(), tags: parseTags(tags) }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="run-label-form"
      data-testid="run-label-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        <span className="muted">Name</span>
        <input className="input" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} data-testid="run-rename" aria-label="Run name" />
      </label>
      <label>
        <span className="muted">Tags</span>
        <input className="input" value={tags} placeholder="baseline, lr sweep" onChange={(e) => setTags(e.target.value)} data-testid="run-tags" aria-label="Run tags, separated by commas" />
      </label>
      <button className="btn small-btn primary" type="submit" disabled={!dirty || busy} data-testid="run-label-save">
        Save
      </button>
      {error && <span className="field-error" data-testid="run-label-error">{error}</span>}
    </form>
  );
}

export function TagChips({ tags }: { tags?: readonly string[] }) {
  if (!tags?.length) return null;
  return (
    <span className="run-tags" data-testid="run-tag-list">
      {tags.map((t) => (
        <span key={t} className="run-tag" data-testid="run-tag">
          {t}
        </span>
      ))}
    </span>
  );
}
