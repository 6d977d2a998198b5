import type { LabMethod } from '../shared/api';

/** IPC channel names shared by the preload and src/main/electron (plain constants, no electron import). */
export const labChannel = (method: LabMethod): string => `lab:${method}`;
/** Main → renderer: every LabEvent (telemetry, run status, native menu commands). */
export const LAB_EVENT_CHANNEL = 'lab:event';
/** Electron only: native open/save dialogs for project files. */
export const PICK_PATH_CHANNEL = 'lab-native:pickProjectPath';
/** Electron only: native folder picker for a dataset; the chosen folder becomes an allowed dataset root. */
export const PICK_DATASET_FOLDER_CHANNEL = 'lab-native:pickDatasetFolder';
/** Electron only: the renderer reports which menu actions are unavailable now, and the native menu greys them out. */
export const MENU_STATE_CHANNEL = 'lab-native:menuState';
