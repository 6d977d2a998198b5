import type { ActionId } from '../../shared/actionCatalogue';
import type { GraphMeta, Position } from '../../shared/graph/types';
import type { Connection } from '../core/graphOps';
import type { Selection, Workspace } from '../core/state';

/** Copy and cut write through the clipboard event's own `write` when there is one (copy/cut events). */
type ClipboardWrite = { write?: (text: string) => void } | undefined;
/** The group to act on; default: the group of the selection. */
type GroupTarget = { group?: string } | undefined;
/** The run to act on; default: the run shown in the status bar. */
type RunTarget = { runId?: string } | undefined;

/**
 * The payload each action takes, by action id. Actions not listed take none. `register` and `dispatch` check
 * against this map, so a caller cannot send an action a payload it does not read.
 */
export interface ActionPayloads {
  'edit.copy': ClipboardWrite;
  'edit.cut': ClipboardWrite;
  'edit.paste': { text?: string } | undefined;
  'experiment.start': { concurrency?: number; seed?: number } | undefined;
  'file.loadTemplate': { id: string };
  'file.loadWeights': { path?: string } | undefined;
  'file.openPath': { path: string };
  'file.recover': { text: string };
  'file.reopen': { text: string };
  'file.saveTo': { path: string };
  /** A file dropped on the window (default: pick one). */
  'file.upload': { file?: { name: string; blob: Blob } } | undefined;
  'graph.addBlock': { type: string; position?: Position };
  'graph.connect': Connection;
  'graph.focus': { nodes: string[] };
  'graph.freezeUpTo': { node?: string } | undefined;
  'graph.insertComposite': { id: string; position?: Position };
  'graph.moveNodes': { positions: Record<string, Position> };
  'graph.select': Partial<Selection>;
  'graph.setLabel': { node: string; label: string };
  'graph.setMeta': Partial<GraphMeta>;
  'graph.setFrozen': { nodes?: string[]; frozen?: boolean } | undefined;
  /** `upTo`: that block and every block before it; else `nodes`, else the selection. */
  'graph.setLrMultiplier': { nodes?: string[]; upTo?: string; multiplier: number };
  'graph.setParam': { node: string; param: string; value: unknown };
  'group.rename': { group: string; name: string };
  'group.saveToLibrary': GroupTarget;
  'group.setRepeat': { group: string; repeat: number };
  'group.toggleCollapse': GroupTarget;
  'group.ungroup': GroupTarget;
  'library.insert': { id: string; position?: Position };
  'library.remove': { id: string };
  'run.export': RunTarget;
  'run.resume': RunTarget;
  'run.start': { dataset: string; config: Record<string, unknown> };
  'view.batchSize': { batchSize: number };
  /** `focus`: select these blocks and centre the editor on them once it is shown. */
  'view.workspace': { workspace: Workspace; focus?: string[] };
}

export type PayloadOf<K extends ActionId> = K extends keyof ActionPayloads ? ActionPayloads[K] : undefined;

/** The payload argument(s) of `dispatch`: required when the action needs one, optional when it may go without. */
export type PayloadArgs<K extends ActionId> = undefined extends PayloadOf<K> ? [payload?: PayloadOf<K>] : [payload: PayloadOf<K>];

/** Every key of ActionPayloads is an action id (a renamed or removed action fails to compile here). */
type KeysAreActionIds<T extends ActionId> = T;
export type PayloadActionId = KeysAreActionIds<keyof ActionPayloads>;
