import { basename, join, relative, sep } from 'node:path';
import { z } from 'zod';
import { LabError } from '../../shared/api';
import { formatIssues } from '../util/labCall';
import { isInside } from '../util/paths';
import type { ElectronLike, WindowLike } from './types';

const pickArgs = z.object({
  mode: z.enum(['open', 'save']),
  suggestedName: z.string().max(200).optional(),
});
const filters = [{ name: 'Netsmith project', extensions: ['json'] }];

/** Native folder picker for an export (any folder the user can write; the exporter checks). Null when cancelled. */
export async function pickExportFolder(dialog: ElectronLike['dialog'], window: WindowLike, title: string): Promise<string | null> {
  const r = await dialog.showOpenDialog(window, { title, buttonLabel: 'Export here', properties: ['openDirectory', 'createDirectory'] });
  return r.canceled ? null : (r.filePaths[0] ?? null);
}

/** Native folder picker for a dataset folder. Null when cancelled. */
export async function pickDatasetFolder(dialog: ElectronLike['dialog'], window: WindowLike): Promise<string | null> {
  const r = await dialog.showOpenDialog(window, { title: 'Choose a dataset folder', buttonLabel: 'Use this folder', properties: ['openDirectory'] });
  return r.canceled ? null : (r.filePaths[0] ?? null);
}

/** Native open dialog for a PyTorch checkpoint ("Load weights…"). Null when cancelled. */
export async function pickWeightsFile(dialog: ElectronLike['dialog'], window: WindowLike): Promise<string | null> {
  const r = await dialog.showOpenDialog(window, { title: 'Load weights', buttonLabel: 'Load', properties: ['openFile'], filters: [{ name: 'PyTorch checkpoint', extensions: ['pth', 'pt', 'safetensors'] }] });
  return r.canceled ? null : (r.filePaths[0] ?? null);
}

/**
 * Native open/save dialog for a project file. Answers the path relative to the projects folder
 * (LabService only addresses files there), or null when cancelled.
 */
export async function pickProjectPath(dialog: ElectronLike['dialog'], window: WindowLike, projectsDir: string, raw: unknown): Promise<string | null> {
  const parsed = pickArgs.safeParse(raw);
  if (!parsed.success) throw new LabError(`invalid arguments for pickProjectPath: ${formatIssues(parsed.error)}`, 'bad-args');
  const { mode, suggestedName } = parsed.data;
  let chosen: string | undefined;
  if (mode === 'open') {
    const r = await dialog.showOpenDialog(window, { title: 'Open project', defaultPath: projectsDir, properties: ['openFile'], filters });
    chosen = r.canceled ? undefined : r.filePaths[0];
  } else {
    const name = basename(suggestedName || 'untitled.netsmith.json');
    const r = await dialog.showSaveDialog(window, { title: 'Save project', defaultPath: join(projectsDir, name), filters });
    chosen = r.canceled ? undefined : r.filePath;
  }
  if (!chosen) return null;
  if (!isInside(projectsDir, chosen)) throw new LabError(`choose a file inside the projects folder (${projectsDir})`, 'outside-projects');
  return relative(projectsDir, chosen).split(sep).join('/');
}
