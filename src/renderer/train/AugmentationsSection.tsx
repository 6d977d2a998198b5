import { useEffect, useMemo, useState } from 'react';
import type { AugmentPreview } from '../../shared/api';
import { useEditor, useEditorState } from '../app/context';
import { AUGMENTATIONS, augmentState, enabledAugment, type AugmentSpec, type AugmentState, type Task } from './augmentations';
import { NumberField, Section, SelectField } from './fields';

/** Fetches an augmentation preview, debounced (parameters change as the user types). */
function usePreview(dataset: string, augment: Record<string, unknown> | null, seed: number): { data: AugmentPreview | null; error: string | null; loading: boolean } {
  const { lab } = useEditor();
  // Loaded weights bring their resize and centre crop: the preview shows the images the run will see.
  const initFrom = useEditorState((s) => s.doc.meta.weights?.from);
  const key = augment ? JSON.stringify([dataset, augment, seed, initFrom ?? null]) : '';
  const [state, setState] = useState<{ key: string; data: AugmentPreview | null; error: string | null }>({ key: '', data: null, error: null });
  useEffect(() => {
    if (!lab || !augment || !dataset || dataset === 'folder:') return;
    let cancelled = false;
    const t = setTimeout(() => {
      lab.augmentPreview({ id: dataset, augment, seed, count: 2, variants: 4, ...(initFrom ? { initFrom } : {}) }).then(
        (data) => !cancelled && setState({ key, data, error: null }),
        (e: Error) => !cancelled && setState({ key, data: null, error: e.message }),
      );
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [key]);
  return { data: state.data, error: state.key === key ? state.error : null, loading: state.key !== key };
}

function PreviewStrip({ dataset, augment, testId }: { dataset: string; augment: Record<string, unknown>; testId?: string }) {
  const [seed, setSeed] = useState(1);
  const { data, error, loading } = usePreview(dataset, augment, seed);
  return (
    <div className={`aug-preview ${loading ? 'loading' : ''}`} data-testid={testId}>
      {error && <div className="field-error">{error}</div>}
      {data?.items.map((it) => (
        <div key={it.index} className="aug-row">
          <figure>
            <img src={it.original} alt="original" />
            <figcaption>original</figcaption>
          </figure>
          <span className="aug-arrow">→</span>
          {it.augmented.map((src, i) => (
            <img key={i} src={src} alt={`augmented ${i + 1}`} data-testid="aug-image" />
          ))}
        </div>
      ))}
      {!data && !error && <div className="aug-row placeholder" />}
      {data?.resize && (
        <p className="muted aug-resize" data-testid="aug-resize">
          {data.resize}
        </p>
      )}
      <button className="btn aug-reroll" onClick={() => setSeed((s) => s + 1)} title="Other random draws">
        New samples
      </button>
    </div>
  );
}

function AugmentRow({ spec, state, dataset, set }: { spec: AugmentSpec; state: AugmentState; dataset: string; set(path: string, v: unknown): string | null }) {
  const [open, setOpen] = useState(false);
  const path = `augment.${spec.id}`;
  const put = (key: string, v: unknown): string | null => set(path, { ...state, [key]: v });
  // The preview applies this augmentation alone, always (p = 1), so each variant shows its effect.
  const previewConfig = useMemo(() => ({ [spec.id]: { ...state, enabled: true, p: 1 } }), [spec.id, state]);
  return (
    <div className={`aug ${state.enabled ? 'on' : ''} ${open ? 'open' : ''}`} data-testid={`aug-${spec.id}`}>
      <div className="aug-head">
        <input type="checkbox" checked={state.enabled} onChange={(e) => put('enabled', e.target.checked)} aria-label={`Enable ${spec.label}`} data-testid={`aug-toggle-${spec.id}`} />
        <button className="aug-name" onClick={() => setOpen(!open)} title={spec.doc}>
          {spec.label}
        </button>
        <span className="aug-group">{spec.group}</span>
        <span className="aug-p" title="Probability of applying it to each image">
          p
          <NumberField value={state.p} commit={(v) => put('p', v)} step={0.05} min={0} max={1} />
        </span>
      </div>
      {open && (
        <div className="aug-body">
          <p className="muted">
            {spec.doc.split('`').map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part))}
          </p>
          {spec.params.length > 0 && (
            <div className="tp-grid">
              {spec.params.map((p) => (
                <ParamControl key={p.key} spec={p} value={state[p.key]} put={(v) => put(p.key, v)} />
              ))}
            </div>
          )}
          <PreviewStrip dataset={dataset} augment={previewConfig} testId={`aug-preview-${spec.id}`} />
        </div>
      )}
    </div>
  );
}

function ParamControl({ spec, value, put }: { spec: AugmentSpec['params'][number]; value: unknown; put(v: unknown): string | null }) {
  if (spec.kind === 'enum')
    return (
      <>
        <label className="tp-label">{spec.label}</label>
        <div className="tp-control">
          <SelectField value={String(value)} options={spec.options} onChange={(v) => put(v)} />
        </div>
      </>
    );
  if (spec.kind === 'range') {
    const [lo, hi] = (value as [number, number]) ?? spec.default;
    return (
      <>
        <label className="tp-label">{spec.label}</label>
        <div className="tp-control tp-range">
          <NumberField value={lo} commit={(v) => put([v ?? lo, hi])} step={spec.step} min={spec.min} max={spec.max} />
          <span className="muted">to</span>
          <NumberField value={hi} commit={(v) => put([lo, v ?? hi])} step={spec.step} min={spec.min} max={spec.max} />
        </div>
      </>
    );
  }
  return (
    <>
      <label className="tp-label">{spec.label}</label>
      <div className="tp-control">
        <NumberField value={value as number} commit={(v) => put(v)} step={spec.step} min={spec.min} max={spec.max} />
      </div>
    </>
  );
}

export function AugmentationsSection({ task, dataset, augment, set }: { task: Task; dataset: string; augment: Record<string, unknown>; set(path: string, v: unknown): string | null }) {
  const specs = AUGMENTATIONS.filter((a) => a.tasks.includes(task));
  const enabled = enabledAugment(augment);
  const count = Object.keys(enabled).length;
  return (
    <Section title="Augmentations" defaultOpen={false} right={<span className="muted tp-count">{count ? `${count} on` : 'off'}</span>} testId="tp-augment">
      <div className="aug-list">
        {specs.map((s) => (
          <AugmentRow key={s.id} spec={s} state={augmentState(s, augment[s.id])} dataset={dataset} set={set} />
        ))}
      </div>
      {count > 0 && (
        <div className="aug-pipeline">
          <div className="tp-sub">The whole pipeline (each at its p)</div>
          <PreviewStrip dataset={dataset} augment={enabled} testId="aug-preview-all" />
        </div>
      )}
    </Section>
  );
}
