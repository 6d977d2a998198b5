import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { atomicWrite } from './atomicWrite';

/** Reads and validates a JSON file; a missing, unreadable or invalid file yields `fallback`. */
export async function readJsonFile<S extends z.ZodType>(file: string, schema: S, fallback: z.output<S>): Promise<z.output<S>> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    return fallback;
  }
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

/** Writes `value` as pretty JSON, atomically, creating the folder if needed. */
export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  await fsp.mkdir(dirname(file), { recursive: true });
  await atomicWrite(file, JSON.stringify(value, null, 2) + '\n');
}

/** Serialises async tasks so read-modify-write sequences on one file never interleave. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
