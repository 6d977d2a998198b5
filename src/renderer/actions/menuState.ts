import { MENU_COMMANDS, isActionId, type ActionId } from '../../shared/actionCatalogue';
import type { ActionManager } from './manager';

const MENU_ACTIONS: readonly ActionId[] = MENU_COMMANDS.filter(isActionId);

/** The native menu's actions that cannot run now (their predicate refuses), in menu order. */
export function disabledMenuActions(manager: ActionManager): ActionId[] {
  return MENU_ACTIONS.filter((id) => !manager.isEnabled(id));
}

/**
 * Keeps the native menu's enabled state in step with the editor: reports the disabled actions now and
 * whenever that list changes. Returns the unsubscribe.
 */
export function followMenuState(manager: ActionManager, report: (disabled: ActionId[]) => void): () => void {
  let last: string | null = null;
  const check = (): void => {
    const disabled = disabledMenuActions(manager);
    const key = disabled.join(',');
    if (key === last) return;
    last = key;
    report(disabled);
  };
  check();
  return manager.store.subscribe(check);
}
