import { z } from 'zod';
import { LAB_ARGS, LAB_METHODS, LabError, type LabApi, type LabMethod } from '../../shared/api';

/** What every transport answers for one call. */
export type LabReply = { result: unknown } | { error: { message: string; code: string } };

export function isLabMethod(name: string): name is LabMethod {
  return (LAB_METHODS as string[]).includes(name);
}

/**
 * Validates `raw` with LAB_ARGS[method] and calls the service. Never throws: failures become
 * `{error}` (validation → 'bad-args', LabError → its code, anything else → 'internal').
 * JSON cannot carry `undefined`, so `null` stands for "no argument".
 */
export async function callLab(api: LabApi, method: string, raw: unknown): Promise<LabReply> {
  if (!isLabMethod(method)) return { error: { message: `unknown method '${method}'`, code: 'unknown-method' } };
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

/** One line for a toast: `path.to.field: message; …`. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

export function toWireError(err: unknown): { message: string; code: string } {
  if (err instanceof LabError) return { message: err.message, code: err.code };
  console.error(err);
  return { message: err instanceof Error ? err.message : String(err), code: 'internal' };
}
