// The action registry: every command of the editor, one file each (keep sorted).
import editCopy from './editCopy';
import editCut from './editCut';
import editDelete from './editDelete';
import editDeselect from './editDeselect';
import editDuplicate from './editDuplicate';
import editPaste from './editPaste';
import editRedo from './editRedo';
import editSelectAll from './editSelectAll';
import editUndo from './editUndo';
import experimentSaveFromRuns from './experimentSaveFromRuns';
import experimentStart from './experimentStart';
import experimentStop from './experimentStop';
import fileDownload from './fileDownload';
import fileExport from './fileExport';
import fileExportPicture from './fileExportPicture';
import fileLoadTemplate from './fileLoadTemplate';
import fileLoadWeights from './fileLoadWeights';
import fileNew from './fileNew';
import fileNewFromTemplate from './fileNewFromTemplate';
import fileOpen from './fileOpen';
import fileOpenPath from './fileOpenPath';
import fileRecover from './fileRecover';
import fileReopen from './fileReopen';
import fileSave from './fileSave';
import fileSaveAs from './fileSaveAs';
import fileSaveTo from './fileSaveTo';
import fileUpload from './fileUpload';
import graphAddBlock from './graphAddBlock';
import graphAutoLayout from './graphAutoLayout';
import graphConnect from './graphConnect';
import graphFocus from './graphFocus';
import graphFreezeUpTo from './graphFreezeUpTo';
import graphInsertComposite from './graphInsertComposite';
import graphMoveNodes from './graphMoveNodes';
import * as graphNudge from './graphNudge';
import graphSelect from './graphSelect';
import graphSetLabel from './graphSetLabel';
import graphSetMeta from './graphSetMeta';
import graphSetFrozen from './graphSetFrozen';
import graphSetLrMultiplier from './graphSetLrMultiplier';
import graphSetParam from './graphSetParam';
import graphUnfreezeAll from './graphUnfreezeAll';
import groupCreate from './groupCreate';
import groupRename from './groupRename';
import groupSaveToLibrary from './groupSaveToLibrary';
import groupSetRepeat from './groupSetRepeat';
import groupToggleCollapse from './groupToggleCollapse';
import groupUngroup from './groupUngroup';
import libraryInsert from './libraryInsert';
import libraryRemove from './libraryRemove';
import runExport from './runExport';
import runPause from './runPause';
import runResume from './runResume';
import runStart from './runStart';
import runStop from './runStop';
import runTrain from './runTrain';
import viewBatchSize from './viewBatchSize';
import viewCommandPalette from './viewCommandPalette';
import viewFit from './viewFit';
import viewMinimap from './viewMinimap';
import viewProblems from './viewProblems';
import viewShortcuts from './viewShortcuts';
import viewSnap from './viewSnap';
import viewTheme from './viewTheme';
import * as viewWorkspace from './viewWorkspace';
import type { Action } from './types';

export const ACTIONS: readonly Action<never>[] = [
  editCopy,
  editCut,
  editDelete,
  editDeselect,
  editDuplicate,
  editPaste,
  editRedo,
  editSelectAll,
  editUndo,
  experimentSaveFromRuns,
  experimentStart,
  experimentStop,
  fileDownload,
  fileExport,
  fileExportPicture,
  fileLoadTemplate,
  fileLoadWeights,
  fileNew,
  fileNewFromTemplate,
  fileOpen,
  fileOpenPath,
  fileRecover,
  fileReopen,
  fileSave,
  fileSaveAs,
  fileSaveTo,
  fileUpload,
  graphAddBlock,
  graphAutoLayout,
  graphConnect,
  graphFocus,
  graphFreezeUpTo,
  graphInsertComposite,
  graphMoveNodes,
  ...Object.values(graphNudge),
  graphSelect,
  graphSetLabel,
  graphSetMeta,
  graphSetFrozen,
  graphSetLrMultiplier,
  graphSetParam,
  graphUnfreezeAll,
  groupCreate,
  groupRename,
  groupSaveToLibrary,
  groupSetRepeat,
  groupToggleCollapse,
  groupUngroup,
  libraryInsert,
  libraryRemove,
  runExport,
  runPause,
  runResume,
  runStart,
  runStop,
  runTrain,
  viewBatchSize,
  viewCommandPalette,
  viewFit,
  viewMinimap,
  viewProblems,
  viewShortcuts,
  viewSnap,
  viewTheme,
  ...Object.values(viewWorkspace),
] as unknown as Action<never>[];
