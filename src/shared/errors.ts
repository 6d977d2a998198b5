/**
 * The lab's error taxonomy. Every error crosses a transport as `{ message, code }` (LabError); each code belongs to
 * one kind, and the kind decides the HTTP status (headless host) and the exit code (CLI). Only `internal` means a
 * bug: the host logs its stack; every other kind is the user's to act on and is answered with its message alone.
 */
export const ERROR_KINDS = ['invalid', 'unauthorized', 'forbidden', 'not-found', 'method-not-allowed', 'conflict', 'too-large', 'unsupported', 'disk-full', 'unavailable', 'internal'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Codes in use, by kind. A code not listed is an expected error the request could not satisfy ('unsupported'). */
const CODES: Record<ErrorKind, readonly string[]> = {
  invalid: [
    'bad-args', 'bad-json', 'bad-path', 'bad-id', 'bad-options', 'name-too-long', 'invalid-project', 'invalid-graph', 'invalid-config',
    'invalid-experiment', 'invalid-sweep', 'invalid-dataset', 'bad-image', 'not-image', 'bad-layer', 'bad-class', 'bad-sample', 'bad-head', 'not-a-folder',
    'too-few-classes', 'empty',
  ],
  unauthorized: ['unauthorized', 'no-token'],
  forbidden: ['forbidden', 'outside-projects', 'outside-roots', 'permission-denied', 'bad-host', 'bad-origin'],
  'not-found': ['not-found', 'unknown-method', 'unknown-dataset', 'no-dataset'],
  'method-not-allowed': ['method-not-allowed'],
  conflict: ['conflict', 'exists', 'not-running', 'completed', 'no-checkpoint', 'resume'],
  'too-large': ['too-large'],
  unsupported: ['unsupported', 'export-failed', 'no-attention', 'corrupt'],
  'disk-full': ['disk-full'],
  unavailable: ['unavailable', 'no-engine', 'busy', 'disconnected', 'source-missing', 'bad-cache'],
  internal: ['internal'],
};

const KIND_OF = new Map<string, ErrorKind>(ERROR_KINDS.flatMap((kind) => CODES[kind].map((code) => [code, kind] as const)));

export function errorKind(code: string): ErrorKind {
  return KIND_OF.get(code) ?? 'unsupported';
}

export function isKnownErrorCode(code: string): boolean {
  return KIND_OF.has(code);
}

export const HTTP_STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  'too-large': 413,
  unsupported: 422,
  'disk-full': 507,
  unavailable: 503,
  internal: 500,
};

/** CLI exit codes: 1 is a bug or a failed run, 2 a usage or input mistake; the rest say what to fix. */
export const EXIT_CODE: Record<ErrorKind, number> = {
  internal: 1,
  invalid: 2,
  'method-not-allowed': 2,
  'not-found': 3,
  conflict: 4,
  'too-large': 5,
  unsupported: 6,
  'disk-full': 7,
  unauthorized: 8,
  forbidden: 8,
  unavailable: 9,
};
