import { useState } from 'react';
import { displayShortcut } from '../core/keys';
import { autosaveSummary } from '../core/project';
import type { RestoreReport } from '../core/state';
import { useEditor, useRun } from './context';
import { isMac } from './editor';
import { Icon } from './Icon';
import { Modal } from './Modal';

export function ConfirmDialog({ id, title, message, confirmLabel, danger, alternative }: { id: number; title: string; message: string; confirmLabel: string; danger?: boolean; alternative?: string }) {
  const { resolveDialog } = useEditor();
  return (
    <Modal
      title={title}
      onClose={() => resolveDialog(id, false)}
      width={440}
      testId="confirm-dialog"
      footer={
        <>
          <span className="spacer" />
          <button className="btn" data-testid="confirm-cancel" onClick={() => resolveDialog(id, false)}>
            Cancel
          </button>
          <button className={`btn ${danger ? 'danger' : 'primary'}`} data-testid="confirm-ok" data-autofocus={alternative ? undefined : true} onClick={() => resolveDialog(id, true)}>
            {confirmLabel}
          </button>
          {alternative && (
            <button className="btn primary" data-testid="confirm-alternative" data-autofocus onClick={() => resolveDialog(id, 'alternative')}>
              {alternative}
            </button>
          )}
        </>
      }
    >
      <p>{message}</p>
    </Modal>
  );
}

export function PromptDialog({ id, title, message, value, confirmLabel }: { id: number; title: string; message: string; value: string; confirmLabel: string }) {
  const { resolveDialog } = useEditor();
  const [text, setText] = useState(value);
  const ok = () => text.trim() && resolveDialog(id, text.trim());
  return (
    <Modal
      title={title}
      onClose={() => resolveDialog(id, null)}
      width={420}
      testId="prompt-dialog"
      footer={
        <>
          <span className="spacer" />
          <button className="btn" onClick={() => resolveDialog(id, null)}>
            Cancel
          </button>
          <button className="btn primary" data-testid="prompt-ok" disabled={!text.trim()} onClick={ok}>
            {confirmLabel}
          </button>
        </>
      }
    >
      <label className="block-label-text" htmlFor="prompt-input">
        {message}
      </label>
      <input id="prompt-input" className="input wide" data-testid="prompt-input" data-autofocus value={text} onChange={(e) => setText(e.target.value)} onFocus={(e) => e.target.select()} onKeyDown={(e) => e.key === 'Enter' && ok()} />
    </Modal>
  );
}

export function ReportDialog({ report, onClose }: { report: RestoreReport; onClose(): void }) {
  const failed = report.errors.length > 0;
  return (
    <Modal title={report.title} onClose={onClose} width={560} testId="report-dialog" footer={<><span className="spacer" /><button className="btn primary" data-testid="report-ok" onClick={onClose}>OK</button></>}>
      {failed ? <p>The file could not be loaded; your current project is unchanged.</p> : <p>The project was loaded. These repairs were made; save to keep them.</p>}
      <ul className="report-list">
        {report.errors.map((e, i) => (
          <li key={`e${i}`} className="error">
            <Icon name="error" size={13} />
            <span>
              {e.path && <code>{e.path}</code>} {e.message}
            </span>
          </li>
        ))}
        {report.notes.map((n, i) => (
          <li key={`n${i}`} className="note">
            <Icon name="info" size={13} />
            <span>{n}</span>
          </li>
        ))}
      </ul>
      {!failed && report.issues > 0 && <p className="muted">The graph has {report.issues} problem{report.issues > 1 ? 's' : ''}: see the problems panel.</p>}
    </Modal>
  );
}

export function RecoverDialog({ savedAt, text, onClose }: { savedAt: string; text: string; onClose(): void }) {
  const run = useRun();
  const { lab } = useEditor();
  const summary = autosaveSummary(text);
  const what = summary.name ? `“${summary.name}”${summary.blocks ? ` (${summary.blocks} blocks${summary.path ? `, ${summary.path}` : ', never saved'})` : ''}` : undefined;
  return (
    <Modal
      title="Recover unsaved work?"
      onClose={onClose}
      width={460}
      testId="recover-dialog"
      footer={
        <>
          <span className="spacer" />
          <button className="btn" data-testid="recover-discard" onClick={() => { void lab?.clearAutosave(); onClose(); }}>
            Discard
          </button>
          <button className="btn primary" data-testid="recover-ok" onClick={() => run('file.recover', { text })}>
            Recover
          </button>
        </>
      }
    >
      <p data-testid="recover-what">
        Netsmith found unsaved changes{what ? <> to {what}</> : null}, from {new Date(savedAt).toLocaleString()}.
      </p>
    </Modal>
  );
}

export function ShortcutsDialog({ onClose }: { onClose(): void }) {
  const { manager } = useEditor();
  const cats = new Map<string, { label: string; keys: string[] }[]>();
  for (const a of manager.list()) {
    if (!a.keys?.length) continue;
    (cats.get(a.category) ?? cats.set(a.category, []).get(a.category)!).push({ label: a.label, keys: a.keys.map((k) => displayShortcut(k, isMac)) });
  }
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose} width={640} testId="shortcuts-dialog">
      <div className="shortcut-grid">
        {[...cats].map(([cat, list]) => (
          <section key={cat}>
            <h3>{cat}</h3>
            {list.map((s) => (
              <div key={s.label} className="shortcut-row">
                <span>{s.label}</span>
                <span>{s.keys.map((k) => <kbd key={k}>{k}</kbd>)}</span>
              </div>
            ))}
          </section>
        ))}
        <section>
          <h3>Canvas</h3>
          <div className="shortcut-row"><span>Box select</span><span><kbd>Shift</kbd> drag</span></div>
          <div className="shortcut-row"><span>Add to selection</span><span><kbd>{isMac ? '⌘' : 'Ctrl'}</kbd> click</span></div>
          <div className="shortcut-row"><span>Pan</span><span><kbd>Space</kbd> drag</span></div>
        </section>
      </div>
    </Modal>
  );
}
