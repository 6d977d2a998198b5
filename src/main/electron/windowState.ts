import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { atomicWriteSync } from '../util/atomicWrite';
import { readJsonFile } from '../util/jsonFile';
import type { Rect } from './types';

const rectSchema = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(200), height: z.number().int().min(200) });
const stateSchema = z.object({ bounds: rectSchema.optional(), maximized: z.boolean().default(false) });
export type WindowState = z.output<typeof stateSchema>;

export const DEFAULT_SIZE = { width: 1400, height: 900 };

export function windowStateFile(home: string): string {
  return join(home, 'window-state.json');
}

/** The remembered bounds, dropped when they no longer overlap any display (a monitor was unplugged). */
export async function loadWindowState(home: string, displays: Rect[] | null): Promise<WindowState> {
  const state = await readJsonFile(windowStateFile(home), stateSchema, { maximized: false });
  if (state.bounds && displays && !displays.some((d) => overlaps(d, state.bounds as Rect))) return { maximized: state.maximized };
  return state;
}

/** Synchronous: called from the window's 'close' event, right before the app may quit. */
export function saveWindowState(home: string, state: WindowState): void {
  const file = windowStateFile(home);
  mkdirSync(dirname(file), { recursive: true });
  atomicWriteSync(file, JSON.stringify(state, null, 2) + '\n');
}

function overlaps(a: Rect, b: Rect): boolean {
  const minVisible = 100;
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w >= minVisible && h >= minVisible;
}
