import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';
import { LabError } from '../../shared/api';
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

/**
 * Reads a record file a store owns (run.json, sweep.json), checked by `schema`: a LabError 'not-found' with
 * `messages.missing` when there is no file, 'corrupt' with `messages.corrupt` when it does not parse or fit.
 */
export async function readRecordFile<S extends z.ZodType>(file: string, schema: S, messages: { missing: string; corrupt: string }): Promise<z.output<S>> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    throw new LabError(messages.missing, 'not-found');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new LabError(messages.corrupt, 'corrupt');
  return parsed.data;
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
