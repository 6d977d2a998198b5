import { LAB_ARGS, LAB_METHODS, type LabApi, type LabMethod } from '../../shared/api';
import type { LabReply } from '../../shared/protocol';
import { formatIssues, isInternal, toLabError } from './errors';

export { formatIssues } from './errors';
export type { LabReply } from '../../shared/protocol';

export function isLabMethod(name: string): name is LabMethod {
  return Object.prototype.hasOwnProperty.call(LAB_ARGS, name) && (LAB_METHODS as string[]).includes(name);
}

/**
 * Validates `raw` with LAB_ARGS[method] and calls the service. Never throws: failures become
 * `{error}` in the taxonomy of src/shared/errors.ts (validation → 'bad-args', see toLabError for the rest).
 * JSON cannot carry `undefined`, so `null` stands for "no argument".
 */
export async function callLab(api: LabApi, method: string, raw: unknown): Promise<LabReply> {
  if (!isLabMethod(method)) return { error: { message: `unknown method '${method.slice(0, 100)}'`, code: 'unknown-method' } };
  const parsed = LAB_ARGS[method].safeParse(raw === null ? undefined : raw);
  if (!parsed.success) {
    return { error: { message: `invalid arguments for ${method}: ${formatIssues(parsed.error)}`, code: 'bad-args' } };
  }
  try {
    const invoke = api[method] as (arg: unknown) => Promise<unknown>;
    const result = await invoke.call(api, parsed.data);
    return { result: result === undefined ? null : result };
  } catch (err) {
    return { error: toWireError(err) };
  }
}

/** The `{message, code}` of an error for a client; only 'internal' ones (bugs) are logged, with their stack, on the host. */
export function toWireError(err: unknown): { message: string; code: string } {
  const e = toLabError(err);
  if (isInternal(e.code)) console.error('Netsmith: internal error', err);
  return { message: e.message, code: e.code };
}
