import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { checkTotal } from './restoreFuzz';

/**
 * Inputs that once made restore throw (from the hostile-input review and from the fuzz), replayed on every run.
 * A fixture is `{ note, input }` or `{ note, text }` (raw file text), with `expect` ('ok' | 'errors') and
 * optionally `message`, a pattern the first error must match.
 */
const dir = new URL('../fixtures/restore/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('restore fixtures', () => {
  for (const file of files) {
    const fx = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { note: string; input?: unknown; text?: string; expect?: 'ok' | 'errors'; message?: string };
    it(`${file}: ${fx.note}`, () => {
      const r = checkTotal(fx.text ?? fx.input);
      if (fx.expect) assert.equal(r.ok ? 'ok' : 'errors', fx.expect, JSON.stringify(r.ok ? r.notes : r.errors));
      if (fx.message && !r.ok) assert.match(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'), new RegExp(fx.message));
    });
  }
});
