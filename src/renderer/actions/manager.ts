import { record } from '../core/history';
import { matches, sameShortcut, type KeyLike } from '../core/keys';
import { pruneSelection, type EditorState } from '../core/state';
import type { Store } from '../core/store';
import type { ActionId } from '../../shared/actionCatalogue';
import type { Action, ActionContext, PayloadOf } from './types';

/** A nested action's failure, already reported to the user: the outer action stops quietly. */
class ReportedError extends Error {}

export type Source = 'keyboard' | 'menu' | 'toolbar' | 'palette' | 'context' | 'api' | 'ui';

export interface ExecuteResult {
  ok: boolean;
  reason?: 'unknown' | 'predicate' | 'error';
  error?: unknown;
}

/**
 * Routes every command: keyboard shortcuts (refusing ambiguous ones), toolbar, context menu, command
 * palette, native menu events. Undo is recorded here, in one place.
 */
export class ActionManager {
  private actions = new Map<ActionId, Action<unknown>>();
  readonly ctx: ActionContext;
  /** Called when a shortcut matches several actions (the press is refused). */
  onAmbiguous: (names: ActionId[]) => void = (names) => console.warn(`Ambiguous shortcut: ${names.join(', ')}`);
  onError: (name: ActionId, err: unknown) => void = (name, err) => console.error(`Action ${name} failed`, err);

  constructor(
    readonly store: Store<EditorState>,
    ctx: Omit<ActionContext, 'dispatch' | 'get' | 'update' | 'edit'>,
  ) {
    this.ctx = {
      ...ctx,
      dispatch: async (name, ...[payload]) => {
        const r = await this.execute(name, payload, 'api');
        if (r.reason === 'error') throw new ReportedError(String(r.error));
      },
      get: store.get,
      update: (fn) => store.update(fn),
      edit: (fn) => {
        const before = store.get();
        this.commit(before, fn(before), true);
      },
    };
  }

  register(actions: readonly Action<never>[]): this {
    for (const a of actions) {
      if (this.actions.has(a.name)) throw new Error(`action '${a.name}' registered twice`);
      this.actions.set(a.name, a as unknown as Action<unknown>);
    }
    return this;
  }

  get(name: ActionId): Action<unknown> | undefined {
    return this.actions.get(name);
  }

  list(): Action<unknown>[] {
    return [...this.actions.values()];
  }

  isEnabled<K extends ActionId>(name: K, payload?: PayloadOf<K>): boolean {
    const a = this.actions.get(name);
    return !!a && (a.predicate?.(this.store.get(), payload) ?? true);
  }

  /** Pairs of actions declaring the same shortcut (a test keeps this empty). */
  conflicts(): [string, string, string][] {
    const out: [string, string, string][] = [];
    const all = this.list();
    for (let i = 0; i < all.length; i++)
      for (let j = i + 1; j < all.length; j++)
        for (const k of all[i].keys ?? []) for (const l of all[j].keys ?? []) if (sameShortcut(k, l)) out.push([all[i].name, all[j].name, k]);
    return out;
  }

  async execute<K extends ActionId>(name: K, payload?: PayloadOf<K>, _source: Source = 'api'): Promise<ExecuteResult> {
    const action = this.actions.get(name);
    if (!action) return { ok: false, reason: 'unknown' };
    const before = this.store.get();
    if (action.predicate && !action.predicate(before, payload)) return { ok: false, reason: 'predicate' };
    try {
      const result = action.perform(before, payload, this.ctx);
      if (result instanceof Promise) await result;
      else if (result) this.commit(before, result, action.undoable !== false, action.coalesce?.(payload));
      return { ok: true };
    } catch (err) {
      if (err instanceof ReportedError) return { ok: false, reason: 'error', error: err };
      this.onError(name, err);
      this.ctx.toast(err instanceof Error ? err.message : String(err), 'error');
      return { ok: false, reason: 'error', error: err };
    }
  }

  /** Sets the next state; a changed document is recorded for undo (unless `undoable` is false), in one place. */
  private commit(before: EditorState, result: EditorState, undoable: boolean, coalesceKey?: string): void {
    // Edits compute from the state they were given; if the store moved meanwhile, that is a bug upstream.
    let next = result;
    if (next.doc !== before.doc) {
      next = pruneSelection(next);
      if (undoable) next = { ...next, history: record(before.history, { doc: before.doc, selection: before.selection }, this.ctx.now(), coalesceKey) };
    }
    this.store.set(next);
  }

  /** Handles a key press; returns true when an action ran (the caller then prevents the default). */
  handleKeyDown(e: KeyLike, inTextField = false): boolean {
    const state = this.store.get();
    const hits = this.list().filter((a) => (!inTextField || a.keysInInputs) && a.keys?.some((k) => matches(k, e, this.ctx.isMac)) && (a.predicate?.(state) ?? true));
    if (hits.length === 0) return false;
    if (hits.length > 1) {
      this.onAmbiguous(hits.map((a) => a.name));
      return false;
    }
    void this.execute(hits[0].name, undefined, 'keyboard');
    return true;
  }
}
