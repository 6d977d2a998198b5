import { useEffect, useState, type ReactNode } from 'react';
import { Icon } from '../app/Icon';

/** Small form controls for the Train panel: they show an invalid value in red instead of storing it. */

export function Section({ title, children, defaultOpen = true, right, testId }: { title: string; children: ReactNode; defaultOpen?: boolean; right?: ReactNode; testId?: string }) {
  const [open, setOpen] = useState(defaultOpen);
  return (
    <section className={`tp-section ${open ? 'open' : ''}`} data-testid={testId}>
      <button className="tp-section-head" onClick={() => setOpen(!open)} aria-expanded={open}>
        <Icon name={open ? 'chevronDown' : 'chevronRight'} size={12} />
        <span>{title}</span>
        <span className="spacer" />
        {right}
      </button>
      {open && <div className="tp-section-body">{children}</div>}
    </section>
  );
}

export function Row({ label, children, hint, htmlFor }: { label: string; children: ReactNode; hint?: string; htmlFor?: string }) {
  return (
    <>
      <label className="tp-label" htmlFor={htmlFor} title={hint}>
        {label}
      </label>
      <div className="tp-control">{children}</div>
    </>
  );
}

/**
 * A number input that commits every valid value as it is typed (`commit` returns an error message or null).
 * `optional`: an empty field means "not set" (undefined).
 */
export function NumberField({ value, commit, step, min, max, optional, testId, id, disabled, placeholder }: { value: number | undefined; commit(v: number | undefined): string | null; step?: number; min?: number; max?: number; optional?: boolean; testId?: string; id?: string; disabled?: boolean; placeholder?: string }) {
  const [text, setText] = useState(value === undefined ? '' : String(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setText((t) => (Number(t) === value || (t === '' && value === undefined) ? t : value === undefined ? '' : String(value)));
  }, [value]);
  const onChange = (t: string) => {
    setText(t);
    if (t.trim() === '') {
      setError(optional ? commit(undefined) : 'required');
      return;
    }
    const n = Number(t);
    if (!Number.isFinite(n)) return setError('not a number');
    setError(commit(n));
  };
  return (
    <span className="tp-num">
      <input
        id={id}
        className={`input num ${error ? 'invalid' : ''}`}
        type="number"
        value={text}
        step={step ?? 'any'}
        min={min}
        max={max}
        placeholder={placeholder}
        disabled={disabled}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
        onBlur={() => {
          if (error) {
            setText(value === undefined ? '' : String(value));
            setError(null);
          }
        }}
        title={error ?? undefined}
      />
      {error && <span className="tp-err">{error}</span>}
    </span>
  );
}

export function SelectField<T extends string>({ value, options, onChange, testId, id, disabled }: { value: T; options: readonly (T | { value: T; label: string })[]; onChange(v: T): void; testId?: string; id?: string; disabled?: boolean }) {
  return (
    <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value as T)} data-testid={testId} disabled={disabled}>
      {options.map((o) => {
        const v = typeof o === 'string' ? o : o.value;
        return (
          <option key={v} value={v}>
            {typeof o === 'string' ? o : o.label}
          </option>
        );
      })}
    </select>
  );
}

export function Check({ checked, onChange, label, testId }: { checked: boolean; onChange(v: boolean): void; label: ReactNode; testId?: string }) {
  return (
    <label className="tp-check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} />
      <span>{label}</span>
    </label>
  );
}
