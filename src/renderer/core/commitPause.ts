/**
 * Typing pauses this long before an inspector field gives its value to the document: a keystroke echoes at once,
 * and a large graph re-infers its shapes and re-renders once per pause, not once per key. Enter, leaving the field
 * and the arrow steps commit at once (src/renderer/editor/fields.tsx DraftInput).
 */
export const COMMIT_PAUSE_MS = 250;
