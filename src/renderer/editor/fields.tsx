import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { ParamSpec } from '../../shared/blocks';
import { formatParamValue } from '../core/format';
import { COMMIT_PAUSE_MS } from '../core/commitPause';

/** A labelled inspector row: label on the left, control on the right, inline message below. */
export function Row({ label, help, error, children, htmlFor }: { label: string; help?: string; error?: string; children: ReactNode; htmlFor?: string }) {
  return (
    <div className={`field ${error ? 'invalid' : ''}`}>
      <label className="field-label" htmlFor={htmlFor} title={help}>
        {label}
      </label>
      <div className="field-control">{children}</div>
      {error && <div className="field-error" role="alert">{error}</div>}
    </div>
  );
}

/**
 * A text field with a local draft: it shows what is typed while focused, and the document's value otherwise
 * (so undo and other edits show through). `parse` returns the value or an error message. A valid draft is
 * committed after a pause in typing (COMMIT_PAUSE_MS), on Enter, on leaving the field, and when the field goes away.
 */
export function DraftInput<T>({
  value,
  format,
  parse,
  onCommit,
  id,
  testId,
  step,
  className,
  placeholder,
  onBlur,
}: {
  value: T;
  format(v: T): string;
  parse(text: string): { ok: true; value: T } | { ok: false; error: string };
  onCommit(v: T): void;
  id?: string;
  testId?: string;
  /** Arrow up/down change numbers by this step. */
  step?: number;
  className?: string;
  placeholder?: string;
  onBlur?(): void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const last = useRef(value);
  // The value waiting for a pause in typing, with the commit of the render that typed it (the field may be
  // showing another block by the time it fires).
  const pending = useRef<{ value: T; commit(v: T): void; timer: ReturnType<typeof setTimeout> } | null>(null);
  const flush = (): void => {
    const p = pending.current;
    if (!p) return;
    clearTimeout(p.timer);
    pending.current = null;
    p.commit(p.value);
  };
  const cancel = (): void => {
    if (pending.current) clearTimeout(pending.current.timer);
    pending.current = null;
  };
  // Leaving (the block deselected, the inspector closed) keeps what was typed.
  const flushRef = useRef(flush);
  flushRef.current = flush;
  useEffect(() => () => flushRef.current(), []);
  // An outside change (undo) while focused replaces the draft when it no longer parses to the document's value.
  useEffect(() => {
    if (last.current === value) return;
    last.current = value;
    if (draft !== null) {
      const p = parse(draft);
      if (!p.ok || format(p.value) !== format(value)) {
        cancel();
        setDraft(null);
        setError(null);
      }
    }
  }, [value, draft, parse, format]);
  const text = draft ?? format(value);
  const change = (t: string, now = false) => {
    setDraft(t);
    const p = parse(t);
    cancel();
    if (p.ok) {
      setError(null);
      const v = p.value;
      if (now) onCommit(v);
      else pending.current = { value: v, commit: onCommit, timer: setTimeout(() => flushRef.current(), COMMIT_PAUSE_MS) };
    } else setError(p.error);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (step && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      const n = Number(text);
      if (!Number.isFinite(n)) return;
      e.preventDefault();
      const k = (e.shiftKey ? 10 : 1) * step * (e.key === 'ArrowUp' ? 1 : -1);
      change(String(+(n + k).toPrecision(12)), true);
    } else if (e.key === 'Enter') {
      flush();
      (e.target as HTMLInputElement).blur();
    } else if (e.key === 'Escape') {
      // What was typed stays (as it did when every key committed); the field shows the document again.
      flush();
      setDraft(null);
      setError(null);
      (e.target as HTMLInputElement).blur();
    }
  };
  return (
    <>
      <input
        id={id}
        data-testid={testId}
        className={`input ${className ?? ''} ${error ? 'invalid' : ''}`}
        value={text}
        spellCheck={false}
        placeholder={placeholder}
        onChange={(e) => change(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => {
          flush();
          setDraft(null);
          setError(null);
          onBlur?.();
        }}
      />
      {error && <div className="field-error inline" role="alert">{error}</div>}
    </>
  );
}

export function parseNumber(spec: { kind: 'int' | 'float' }) {
  return (t: string): { ok: true; value: number } | { ok: false; error: string } => {
    const s = t.trim();
    if (s === '') return { ok: false, error: 'enter a number' };
    const n = Number(s);
    if (!Number.isFinite(n)) return { ok: false, error: 'not a number' };
    if (spec.kind === 'int' && !Number.isInteger(n)) return { ok: false, error: 'must be a whole number' };
    return { ok: true, value: n };
  };
}

export function parseInts(t: string): { ok: true; value: number[] } | { ok: false; error: string } {
  const parts = t.split(/[\s,×x]+/).filter(Boolean);
  const nums = parts.map(Number);
  if (nums.some((n) => !Number.isInteger(n))) return { ok: false, error: 'whole numbers separated by commas' };
  return { ok: true, value: nums };
}

/** The control for one parameter spec: numbers, enums, booleans, integer lists. */
export function ParamControl({ name, spec, value, error, onChange, onBlur, testPrefix, params }: { name: string; spec: ParamSpec; value: unknown; error?: string; onChange(v: unknown): void; onBlur(): void; testPrefix: string; params?: Record<string, unknown> }) {
  const id = `${testPrefix}-${name}`;
  const label = spec.label ?? name;
  const effective = params ? spec.effective?.(params) : undefined;
  if (effective?.locked)
    return (
      <Row label={label} help={spec.help} error={error} htmlFor={id}>
        <span className="param-effective locked" id={id} data-testid={`${id}-effective`}>
          {effective.text}
        </span>
      </Row>
    );
  let control: ReactNode;
  switch (spec.kind) {
    case 'int':
    case 'float': {
      const step = spec.kind === 'int' ? 1 : (spec.step ?? stepFor(Number(value)));
      control = (
        <DraftInput<number>
          id={id}
          testId={id}
          value={typeof value === 'number' ? value : Number(value)}
          format={(v) => formatParamValue(v)}
          parse={parseNumber(spec)}
          onCommit={onChange}
          onBlur={onBlur}
          step={step}
          className="num"
        />
      );
      break;
    }
    case 'enum':
      control =
        spec.options.length <= 3 ? (
          <div className="segmented" role="radiogroup" id={id} data-testid={id}>
            {spec.options.map((o) => (
              <button key={o} role="radio" aria-checked={value === o} className={value === o ? 'on' : ''} onClick={() => onChange(o)} data-testid={`${id}-${o}`}>
                {o}
              </button>
            ))}
          </div>
        ) : (
          <select id={id} data-testid={id} className="input" value={String(value)} onChange={(e) => onChange(e.target.value)}>
            {spec.options.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        );
      break;
    case 'bool':
      control = (
        <label className="switch">
          <input id={id} data-testid={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          <span className="switch-track" />
          <span className="switch-text">{value ? 'on' : 'off'}</span>
        </label>
      );
      break;
    case 'ints':
      control = (
        <DraftInput<number[]>
          id={id}
          testId={id}
          value={Array.isArray(value) ? (value as number[]) : []}
          format={(v) => v.join(', ')}
          parse={parseInts}
          onCommit={onChange}
          onBlur={onBlur}
          placeholder="e.g. 1, 2, 3"
        />
      );
      break;
  }
  return (
    <Row label={label} help={spec.help} error={error} htmlFor={id}>
      {control}
      {effective && (
        <span className="param-effective" data-testid={`${id}-effective`}>
          → {effective.text}
        </span>
      )}
    </Row>
  );
}

const stepFor = (v: number): number => {
  const a = Math.abs(v);
  if (!Number.isFinite(a) || a === 0) return 0.01;
  return 10 ** Math.floor(Math.log10(a));
};
