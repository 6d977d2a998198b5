import { useState } from 'react';
import { fileNameFor, normalizeProjectPath } from '../core/project';
import { useEditor, useEditorState, useRun } from './context';
import { Icon } from './Icon';
import { Modal } from './Modal';

/** Save as: a path in the host's projects folder, or a download. */
export function SaveAsDialog({ onClose }: { onClose(): void }) {
  const { lab } = useEditor();
  const run = useRun();
  const name = useEditorState((s) => s.doc.meta.name);
  const path = useEditorState((s) => s.path);
  const [value, setValue] = useState(path ?? fileNameFor(name));
  const normalized = normalizeProjectPath(value);
  const save = () => normalized && run('file.saveTo', { path: normalized });
  return (
    <Modal
      title="Save project as"
      onClose={onClose}
      width={520}
      testId="saveas-dialog"
      footer={
        <>
          <button className="btn" data-testid="saveas-download" onClick={() => { run('file.download'); onClose(); }}>
            <Icon name="download" size={14} /> Download instead
          </button>
          <span className="spacer" />
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" data-testid="saveas-confirm" disabled={!lab || !normalized} onClick={save}>
            Save
          </button>
        </>
      }
    >
      <label className="block-label-text" htmlFor="saveas-path">
        File in the projects folder
      </label>
      <input
        id="saveas-path"
        className="input wide mono"
        data-testid="saveas-path"
        data-autofocus
        value={value}
        spellCheck={false}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') save();
        }}
        onFocus={(e) => e.target.setSelectionRange(0, e.target.value.replace(/\.netsmith\.json$/, '').length)}
      />
      <p className="muted small">{normalized ? `Saves to ${normalized}` : 'Type a file name'}{!lab && ' — no host connection: use Download.'}</p>
    </Modal>
  );
}
