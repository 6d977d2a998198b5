import { useCallback } from 'react';
import { ExportDialog } from '../export/ExportDialog';
import { PictureDialog } from '../export/PictureDialog';
import { closeDialog } from '../core/state';
import { useEditor, useEditorState } from './context';
import { CommandPalette } from './CommandPalette';
import { OpenDialog } from './OpenDialog';
import { SaveAsDialog } from './SaveAsDialog';
import { LoadWeightsDialog } from './LoadWeightsDialog';
import { ConfirmDialog, PromptDialog, RecoverDialog, ReportDialog, ShortcutsDialog } from './SmallDialogs';
import { TemplatesDialog } from './TemplatesDialog';

/** Renders the open dialog (one at a time, kept in the editor state). */
export function Dialogs() {
  const dialog = useEditorState((s) => s.dialog);
  const { store } = useEditor();
  const close = useCallback(() => store.update(closeDialog), [store]);
  if (!dialog) return null;
  switch (dialog.kind) {
    case 'templates':
      return <TemplatesDialog onClose={close} />;
    case 'open':
      return <OpenDialog onClose={close} />;
    case 'saveAs':
      return <SaveAsDialog onClose={close} />;
    case 'palette':
      return <CommandPalette onClose={close} />;
    case 'shortcuts':
      return <ShortcutsDialog onClose={close} />;
    case 'report':
      return <ReportDialog report={dialog.report} onClose={close} />;
    case 'recover':
      return <RecoverDialog savedAt={dialog.savedAt} text={dialog.text} onClose={close} />;
    case 'confirm':
      return <ConfirmDialog key={dialog.id} {...dialog} />;
    case 'prompt':
      return <PromptDialog key={dialog.id} {...dialog} />;
    case 'export':
      return <ExportDialog runId={dialog.runId} onClose={close} />;
    case 'picture':
      return <PictureDialog onClose={close} />;
    case 'loadWeights':
      return <LoadWeightsDialog onClose={close} />;
  }
}
