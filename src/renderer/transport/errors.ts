import { LabError } from '../../shared/api';

/**
 * Normalises whatever a transport rejected with into a LabError. The Electron bridge rejects with a
 * plain `{message, code}` (Error objects lose their fields across the context bridge).
 */
export function toLabError(reason: unknown): LabError {
  if (reason instanceof LabError) return reason;
  if (typeof reason === 'object' && reason !== null && typeof (reason as { message?: unknown }).message === 'string') {
    const { message, code } = reason as { message: string; code?: unknown };
    return new LabError(message, typeof code === 'string' ? code : 'error');
  }
  return new LabError(String(reason), 'error');
}
