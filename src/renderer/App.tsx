import { isActive } from '../shared/runs/runRecord';
import { useEffect, useMemo, useState } from 'react';
import { isActionId } from '../shared/actionCatalogue';
import { subscribeTopic } from '../shared/api';
import { serializeAutosave } from './core/project';
import { readTabSession, writeTabSession } from './core/session';
import { isDirty, updateRun } from './core/state';
import { EditorContext, useEditorState } from './app/context';
import { followMenuState } from './actions/menuState';
import { Dialogs } from './app/Dialogs';
import { createEditor, type Editor } from './app/editor';
import { StatusBar } from './app/StatusBar';
import { Toasts } from './app/Toasts';
import { Toolbar } from './app/Toolbar';
import { DashLinksContext, type DashLinks } from './dashboards/links';
import { GradientLegend } from './dashboards/GradientLegend';
import { TrainingWorkspace } from './dashboards/TrainingWorkspace';
import { Canvas } from './editor/Canvas';
import { Inspector } from './editor/Inspector';
import { NodeOverlayContext } from './editor/nodeOverlay';
import { Palette } from './editor/Palette';
import { ExperimentsWorkspace } from './experiments/ExperimentsWorkspace';
import { ProblemsPanel } from './editor/ProblemsPanel';
import { RunsWorkspace } from './runs/RunsWorkspace';
import { useTelemetryBridge } from './telemetry/bridge';
import { TelemetryContext, useGradientOverlay } from './telemetry/react';
import { TelemetryStore } from './telemetry/store';
import type { LabClient } from './transport';

const AUTOSAVE_MS = 3000;
/** Pause after the last change of the open document before keeping it for a reload of the tab. */
const TAB_SESSION_MS = 500;
const CLIPBOARD_KEYS = new Set(['c', 'x', 'v']);

const isTextField = (t: EventTarget | null): boolean => {
  const el = t as HTMLElement | null;
  if (!el || !el.tagName) return false;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  return el.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'range'].includes((el as HTMLInputElement).type);
};

/** Writes the open document to this tab's session shortly after each change and when the page is left. */
function keepTabSession(store: Editor['store']): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let written: { doc: unknown; path: string | null; clean: boolean } | undefined;
  const write = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const s = store.get();
    const clean = !isDirty(s);
    if (written && written.doc === s.doc && written.path === s.path && written.clean === clean) return;
    written = { doc: s.doc, path: s.path, clean };
    writeTabSession(s.doc, s.path, clean);
  };
  write();
  // After a pause in editing: serialising a 500-block graph takes milliseconds a keystroke should not wait for.
  // Other updates (run news) do not postpone a pending write.
  let seen = store.get().doc;
  const unsubscribe = store.subscribe(() => {
    const doc = store.get().doc;
    if (timer && doc === seen) return;
    seen = doc;
    if (timer) clearTimeout(timer);
    timer = setTimeout(write, TAB_SESSION_MS);
  });
  window.addEventListener('pagehide', write);
  return () => {
    unsubscribe();
    window.removeEventListener('pagehide', write);
    if (timer) clearTimeout(timer);
  };
}

/** Global wiring: shortcuts, clipboard, native menu events, autosave, recovery, title, theme. */
function useShell(editor: Editor): boolean {
  const [ready, setReady] = useState(!editor.lab);
  const { store, manager, lab } = editor;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const s = store.get();
      const mod = editor.manager.ctx.isMac ? e.metaKey : e.ctrlKey;
      if (s.dialog) {
        // Dialogs own the keyboard; only the palette toggle and saving pass through.
        if (mod && ['k', 's'].includes(e.key.toLowerCase()) && manager.handleKeyDown(e, true)) e.preventDefault();
        return;
      }
      const inField = isTextField(e.target);
      // Copy / cut / paste arrive as clipboard events (they carry the system clipboard).
      if (mod && !e.shiftKey && !e.altKey && CLIPBOARD_KEYS.has(e.key.toLowerCase())) return;
      if (manager.handleKeyDown(e, inField)) e.preventDefault();
    };
    const clip = (kind: 'copy' | 'cut' | 'paste') => (e: ClipboardEvent) => {
      if (isTextField(e.target) || store.get().dialog) return;
      if (kind === 'paste') {
        e.preventDefault();
        const text = e.clipboardData?.getData('text/plain');
        void manager.execute('edit.paste', text ? { text } : undefined, 'keyboard');
        return;
      }
      if (!manager.isEnabled(`edit.${kind}`)) return;
      e.preventDefault();
      void manager.execute(`edit.${kind}`, { write: (t: string) => e.clipboardData?.setData('text/plain', t) }, 'keyboard');
    };
    const onCopy = clip('copy');
    const onCut = clip('cut');
    const onPaste = clip('paste');
    window.addEventListener('keydown', onKey);
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCut);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCut);
      document.removeEventListener('paste', onPaste);
    };
  }, [editor, manager, store]);

  // A project (.json) or an ONNX model (.onnx) dropped on the window opens it; other drops (images on Predict) are left alone.
  useEffect(() => {
    const openable = (f: File | undefined) => !!f && /\.(onnx|json)$/i.test(f.name);
    const onDragOver = (e: DragEvent) => {
      if (e.defaultPrevented || !e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
    };
    const onDrop = (e: DragEvent) => {
      const f = e.dataTransfer?.files[0];
      if (e.defaultPrevented || !openable(f)) return;
      e.preventDefault();
      void manager.execute('file.upload', { file: { name: f!.name, blob: f! } }, 'ui');
    };
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [manager]);

  // Native menus and run state changes (steps go to the telemetry store, not through the editor state).
  useEffect(() => {
    if (!lab) return;
    const offMenu = subscribeTopic(lab, 'menu', (ev) => {
      if (ev.command === 'file.openRecent') {
        if (ev.arg) void manager.execute('file.openPath', { path: ev.arg }, 'menu');
      } else if (isActionId(ev.command)) void manager.execute(ev.command, undefined, 'menu');
    });
    const offRun = subscribeTopic(lab, 'run', (ev) => {
      if (ev.type !== 'run-status') return;
      const cur = store.get().run;
      const active = isActive(ev.run.state);
      if (!cur || cur.id === ev.run.id || active) store.update((s) => updateRun(s, { id: ev.run.id, state: ev.run.state, epoch: ev.run.epoch, epochs: ev.run.epochs, step: ev.run.step }));
    });
    return () => {
      offMenu();
      offRun();
    };
  }, [lab, manager, store]);

  // The native menu greys out what cannot run now (Electron only; the browser host has no native menu).
  useEffect(() => {
    const report = (lab as Pick<LabClient, 'reportMenuState'> | null)?.reportMenuState;
    if (!report) return;
    return followMenuState(manager, (disabled) => void report(disabled).catch(() => undefined));
  }, [lab, manager]);

  // At start: a reload reopens this tab's document; a new window offers to recover unsaved work. Then autosave
  // every few seconds while dirty, and keep this tab's open document for the next reload.
  useEffect(() => {
    if (!lab) return;
    let cancelled = false;
    let stopTabSession: (() => void) | undefined;
    const tab = readTabSession();
    const restoreAtStart = tab
      ? manager.execute(tab.clean ? 'file.reopen' : 'file.recover', { text: tab.text }, 'ui').then(() => undefined)
      : lab.readAutosave().then(
          (a) => {
            if (!cancelled && a?.text && !store.get().dialog && !isDirty(store.get())) store.update((s) => ({ ...s, dialog: { kind: 'recover', savedAt: a.savedAt, text: a.text } }));
          },
          () => undefined,
        );
    void restoreAtStart.finally(() => {
      if (cancelled) return;
      setReady(true);
      stopTabSession = keepTabSession(store);
    });
    let saved = store.get().doc;
    const timer = setInterval(() => {
      const s = store.get();
      if (!isDirty(s) || s.doc === saved) return;
      saved = s.doc;
      // Serialising a 500-block graph takes ~40 ms: done when the page is idle, not in the middle of typing.
      requestIdleCallback(() => void lab.writeAutosave({ text: serializeAutosave(s.doc, s.path) }).catch(() => undefined), { timeout: AUTOSAVE_MS });
    }, AUTOSAVE_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
      stopTabSession?.();
    };
  }, [lab, store, manager]);

  // Ask before leaving with unsaved changes (browser tab close / reload).
  useEffect(() => {
    const onUnload = (e: BeforeUnloadEvent) => {
      if (!isDirty(store.get())) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [store]);
  return ready;
}

function Shell({ host, ready, onOpenGradients }: { host: string; ready: boolean; onOpenGradients(): void }) {
  const name = useEditorState((s) => s.doc.meta.name);
  const dirty = useEditorState(isDirty);
  const theme = useEditorState((s) => s.prefs.theme);
  const problemsOpen = useEditorState((s) => s.prefs.problemsOpen);
  const workspace = useEditorState((s) => s.workspace);
  useEffect(() => {
    document.title = `${dirty ? '● ' : ''}${name} — Netsmith`;
  }, [name, dirty]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  return (
    <div className={`app ws-${workspace} ${problemsOpen && workspace === 'editor' ? 'with-problems' : ''}`} data-testid="app" data-ready={ready ? 'true' : 'false'} data-workspace={workspace}>
      <Toolbar />
      {workspace === 'editor' ? (
        <>
          <Palette />
          <main className="center">
            <Canvas />
            {problemsOpen && <ProblemsPanel />}
            <GradientLegend onOpen={onOpenGradients} />
          </main>
          <Inspector />
        </>
      ) : (
        <main className="ws-main">{workspace === 'training' ? <TrainingWorkspace /> : workspace === 'experiments' ? <ExperimentsWorkspace /> : <RunsWorkspace />}</main>
      )}
      <StatusBar host={host} />
      <Dialogs />
      <Toasts />
    </div>
  );
}

export function App({ lab, connectError }: { lab: LabClient | null; connectError?: string }) {
  const editor = useMemo(() => createEditor(lab), [lab]);
  const telemetry = useMemo(() => new TelemetryStore(), []);
  const ready = useShell(editor);
  useTelemetryBridge(lab, telemetry, editor.manager);
  // A run's gradient colours show on the canvas only while the editor holds the network that run trained.
  useEffect(() => {
    const sync = () => telemetry.setEditorDoc(editor.store.get().doc);
    sync();
    return editor.store.subscribe(sync);
  }, [editor, telemetry]);
  const links = useMemo<DashLinks>(
    () => ({ lab, focusNodes: (nodes) => void editor.manager.execute('view.workspace', { workspace: 'editor', focus: [...nodes] }, 'ui') }),
    [lab, editor],
  );
  const openGradients = useMemo(() => () => void editor.manager.execute('view.training', undefined, 'ui'), [editor]);
  const [host, setHost] = useState(lab ? (lab.transport === 'ipc' ? 'Desktop' : 'Host') : 'Offline');
  useEffect(() => {
    if (!lab) {
      if (connectError) editor.manager.ctx.toast(connectError, 'error');
      return;
    }
    lab.hostInfo().then(
      (h) => setHost(`${h.kind === 'electron' ? 'Desktop' : 'Host'}${h.backend ? ` · ${h.backend}` : ''}`),
      () => undefined,
    );
    return lab.onConnection((status) => setHost((h) => (status === 'open' ? h.replace(/ \(.*\)$/, '') : `${h.replace(/ \(.*\)$/, '')} (${status})`)));
  }, [lab, editor, connectError]);
  return (
    <EditorContext.Provider value={editor}>
      <TelemetryContext.Provider value={telemetry}>
        <NodeOverlayContext.Provider value={useGradientOverlay}>
          <DashLinksContext.Provider value={links}>
            <Shell host={host} ready={ready} onOpenGradients={openGradients} />
          </DashLinksContext.Provider>
        </NodeOverlayContext.Provider>
      </TelemetryContext.Provider>
    </EditorContext.Provider>
  );
}
