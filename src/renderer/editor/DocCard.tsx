import type { AnyBlockDef } from '../../shared/blocks';
import { studyNotes } from '../../shared/blocks/studyNotes';

/** The block's documentation card: summary, formulas, what each parameter does, the study notes that cover it. */
export function DocCard({ def, compact = false }: { def: AnyBlockDef; compact?: boolean }) {
  const d = def.doc;
  const params = Object.entries(def.params);
  return (
    <div className="doc-card" data-testid="doc-card">
      <p className="doc-summary">{d.summary}</p>
      {d.formula && <Formula label="Output" text={d.formula} />}
      {d.paramsFormula && <Formula label="Params" text={d.paramsFormula} />}
      {d.flopsFormula && <Formula label="FLOPs" text={d.flopsFormula} />}
      {d.use && <p className="doc-use">{d.use}</p>}
      {!compact && params.length > 0 && (
        <dl className="doc-params">
          {params.map(([name, spec]) => (
            <div key={name}>
              <dt>{spec.label ?? name}</dt>
              <dd>{spec.help}</dd>
            </div>
          ))}
        </dl>
      )}
      <div className="doc-meta">
        <span className="mono">{def.type}</span>
        {d.notes && (
          <span className="doc-notes" data-testid="doc-notes">
            From the study notes:{' '}
            {studyNotes(d.notes).map((n, i) => (
              <span key={n.id} title={n.file ? `seeds/${n.file}` : undefined}>
                {i > 0 ? ' · ' : ''}
                {n.title}
              </span>
            ))}
          </span>
        )}
      </div>
    </div>
  );
}

function Formula({ label, text }: { label: string; text: string }) {
  return (
    <div className="doc-formula">
      <span className="doc-formula-label">{label}</span>
      <code>{text}</code>
    </div>
  );
}
