import { z } from 'zod';

/**
 * The one rule for names that become a single folder under a lab folder: run ids, checkpoint names.
 * Letters, digits, `_`, `.` and `-`, starting with a letter, digit or `_` (so never `.`, `..` or a hidden name),
 * at most 200 characters; no separators, no NUL.
 */
export const FOLDER_NAME_PATTERN = /^\w[\w.-]{0,199}$/;

export function isFolderName(value: unknown): value is string {
  return typeof value === 'string' && FOLDER_NAME_PATTERN.test(value);
}

/** A run id (the name of its folder under runs/). */
export const runIdSchema = z.string().regex(FOLDER_NAME_PATTERN, 'a run id (letters, digits, _ . -; not . or ..)');
export const isRunId = isFolderName;

/** A checkpoint folder name (best, last, epoch-3). */
export const checkpointNameSchema = z.string().regex(FOLDER_NAME_PATTERN, 'a checkpoint name (e.g. best, last, epoch-3)');
