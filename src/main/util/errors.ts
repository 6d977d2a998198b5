import { z } from 'zod';
import { LabError } from '../../shared/api';
import { errorKind, isKnownErrorCode } from '../../shared/errors';
import { displayPath, redactPaths } from './paths';

/**
 * Turns anything thrown into a LabError of the taxonomy (src/shared/errors.ts) with a message for users: LabError
 * as is, library errors that carry one of our codes (DataError, PredictError), ZodError summarised per field, Node's
 * errno errors by what they mean. What is left is 'internal'. Messages never carry absolute paths.
 */
export function toLabError(err: unknown): LabError {
  if (err instanceof LabError) return withMessage(err, err.code);
  if (err instanceof z.ZodError) return new LabError(`invalid input: ${formatIssues(err)}`, 'bad-args');
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && isKnownErrorCode(code)) return withMessage(err, code);
    if (err.name === 'ExportError') return withMessage(err, 'export-failed');
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
      const errno = fromErrno(err as NodeJS.ErrnoException, code);
      if (errno) return errno;
    }
    return new LabError(redactPaths(err.message), 'internal');
  }
  return new LabError(redactPaths(String(err)), 'internal');
}

function withMessage(err: Error, code: string): LabError {
  const message = redactPaths(err.message);
  return err instanceof LabError && message === err.message ? err : new LabError(message, code);
}

const ERRNO: Record<string, { code: string; says: string }> = {
  ENOSPC: { code: 'disk-full', says: 'the disk is full' },
  EDQUOT: { code: 'disk-full', says: 'the disk quota is used up' },
  ENAMETOOLONG: { code: 'name-too-long', says: 'a file name is too long' },
  ENOENT: { code: 'not-found', says: 'no such file or folder' },
  EACCES: { code: 'permission-denied', says: 'permission denied' },
  EPERM: { code: 'permission-denied', says: 'operation not permitted' },
  EROFS: { code: 'permission-denied', says: 'the file system is read-only' },
  EEXIST: { code: 'exists', says: 'it already exists' },
  ENOTEMPTY: { code: 'exists', says: 'the folder is not empty' },
  EISDIR: { code: 'bad-path', says: 'a folder is where a file was expected' },
  ENOTDIR: { code: 'bad-path', says: 'a file is where a folder was expected' },
  ELOOP: { code: 'bad-path', says: 'too many symbolic links (a loop?)' },
  EFBIG: { code: 'too-large', says: 'the file is too large' },
  EMFILE: { code: 'busy', says: 'too many open files; try again' },
  ENFILE: { code: 'busy', says: 'too many open files; try again' },
  EBUSY: { code: 'busy', says: 'the file is busy; try again' },
  EAGAIN: { code: 'busy', says: 'the resource is busy; try again' },
};

function fromErrno(err: NodeJS.ErrnoException, code: string): LabError | null {
  const known = ERRNO[code];
  if (!known) return null;
  const where = err.path ? ` (${clipMiddle(displayPath(err.path), 120)})` : '';
  return new LabError(`${known.says}${where}`, known.code);
}

function clipMiddle(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max / 2 - 1)}…${s.slice(-(max / 2))}`;
}

/** One line for a toast: `field x: expected number; …` (at most 5 issues). */
export function formatIssues(error: z.ZodError): string {
  const lines = error.issues.slice(0, 5).map((issue) => {
    const field = issue.path.length > 0 ? `field ${issue.path.map(String).join('.')}: ` : '';
    return `${field}${issueText(issue)}`;
  });
  const more = error.issues.length > 5 ? `; and ${error.issues.length - 5} more` : '';
  return `${lines.join('; ')}${more}`;
}

function issueText(issue: z.core.$ZodIssue): string {
  const msg = issue.message.replace(/^Invalid input: /, '');
  return redactPaths(msg.length > 200 ? `${msg.slice(0, 197)}…` : msg);
}

/** Whether an error of this code is a bug worth a stack in the host log. */
export function isInternal(code: string): boolean {
  return errorKind(code) === 'internal';
}
