import { isActive } from '../../shared/runs/runRecord';
import { memo, useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { ActionId } from '../../shared/actionCatalogue';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { DatasetPreview, DatasetSummary, TorchHostInfo } from '../../shared/api';
import { SkippedFiles } from './SkippedFiles';
import { adaptToDataset } from '../../shared/graph/adapt';
import { BACKENDS, INITS, OPTIMIZERS, SCHEDULES, type TrainConfig } from '../../shared/training/config';
import { previewSchedule } from '../../shared/training/schedulePreview';
import { useEditor, useEditorState } from '../app/context';
import { analysisOf } from '../core/analysis';
import type { LabClient } from '../transport/client';
import { Icon } from '../app/Icon';
import { AXIS, fmt, GRID, TOOLTIP } from '../dashboards/chartKit';
import { formatDuration, progressOf } from '../telemetry/progress';
import { useRun, useRunVersion, useTelemetryStore } from '../telemetry/react';
import { AugmentationsSection } from './AugmentationsSection';
import { runConfig, setPath, stepsPerEpoch, type TrainDraft } from './draft';
import { settingWarnings } from './settingWarnings';
import { Check, NumberField, Row, Section, SelectField } from './fields';
import { plural } from '../../shared/plural';
import { SweepSection } from '../sweeps/SweepSection';


function useDraft(): [TrainDraft, (path: string, value: unknown) => string | null, (dataset: string) => void] {
  const store = useEditor().trainDraft;
  const draft = useSyncExternalStore(store.subscribe, store.get);
  const set = useCallback(
    (path: string, value: unknown) => {
      const r = setPath(store.get().config, path, value);
      if ('error' in r) return r.error;
      store.update((d) => ({ ...d, config: r.config }));
      return null;
    },
    [store],
  );
  const setDataset = useCallback((dataset: string) => store.update((d) => ({ ...d, dataset })), [store]);
  return [draft, set, setDataset];
}

function useTicker(ms: number, on: boolean): void {
  const [, setT] = useState(0);
  useEffect(() => {
    if (!on) return;
    const id = setInterval(() => setT((t) => t + 1), ms);
    return () => clearInterval(id);
  }, [ms, on]);
}

const STATE_LABEL: Record<string, string> = { queued: 'starting', running: 'running', paused: 'paused', stopped: 'stopped', completed: 'completed', failed: 'failed', interrupted: 'interrupted' };

/** Start / pause / resume / stop, the progress bar with ETA and samples/s, and which backend runs. */
function RunControls({ draft, dataset, hostBackend, onStart }: { draft: TrainDraft; dataset: DatasetSummary | undefined; hostBackend: string | undefined; onStart(): void }) {
  const { manager } = useEditor();
  const info = useEditorState((s) => s.run);
  const run = useRun(info?.id);
  useRunVersion(run, 'steps', 'status', 'epochs');
  const state = run?.summary?.state ?? info?.state;
  const active = isActive(state);
  useTicker(1000, state === 'running');
  const p = run ? progressOf(run) : null;
  const exec = (name: ActionId) => void manager.execute(name, undefined, 'ui');
  const problems = useEditorState((s) => analysisOf(s.doc));
  const firstError = problems.analysis.issues.find((i) => i.severity === 'error');
  const blocked = firstError ? `The graph has ${problems.errors === 1 ? 'an error' : `${problems.errors} errors`}: ${firstError.message}` : undefined;
  const canStart = !active && !blocked && !!draft.dataset && manager.isEnabled('run.start', { dataset: draft.dataset, config: {} });
  const backend = run?.summary?.backend;
  return (
    <div className="tp-run" data-testid="run-controls" data-state={state ?? 'none'}>
      <div className="tp-run-buttons">
        {!active && (
          <button className="btn primary" data-testid="train-start" disabled={!canStart} onClick={onStart} title={blocked ? `Start is off. ${blocked}` : 'Start training with these settings'}>
            <Icon name="play" size={13} /> Start
          </button>
        )}
        {state === 'running' || state === 'queued' ? (
          <button className="btn" data-testid="run-pause" disabled={state !== 'running'} onClick={() => exec('run.pause')}>
            <PauseIcon /> Pause
          </button>
        ) : null}
        {state === 'paused' && (
          <button className="btn primary" data-testid="run-resume" onClick={() => exec('run.resume')}>
            <Icon name="play" size={13} /> Resume
          </button>
        )}
        {active && (
          <button className="btn" data-testid="run-stop" onClick={() => exec('run.stop')}>
            <Icon name="stop" size={12} /> Stop
          </button>
        )}
        {(state === 'stopped' || state === 'interrupted') && (
          <button className="btn" data-testid="run-resume" onClick={() => exec('run.resume')} title="Continue from the last checkpoint">
            Resume
          </button>
        )}
        <span className="spacer" />
        {state && (
          <span className={`pill state-${state}`} data-testid="run-state">
            {STATE_LABEL[state] ?? state}
          </span>
        )}
      </div>
      {blocked && !active && (
        <div className="field-error tp-error" data-testid="start-blocked">
          {blocked}{' '}
          <button className="link-btn" data-testid="start-blocked-show" onClick={() => void manager.execute('view.workspace', { workspace: 'editor', focus: firstError?.nodeId ? [firstError.nodeId] : [] }, 'ui')}>
            Show in the editor
          </button>
        </div>
      )}
      <div className="tp-progress" data-testid="run-progress" data-fraction={p?.fraction ?? 0}>
        <div className={`tp-progress-bar ${state === 'paused' ? 'paused' : ''}`} style={{ width: `${((p?.fraction ?? 0) * 100).toFixed(1)}%` }} />
      </div>
      <div className="tp-run-stats">
        {p ? (
          <>
            <span>
              epoch <b className="mono">{p.epoch}</b>/{p.epochs || '—'}
            </span>
            <span>
              step <b className="mono" data-testid="run-step">{p.step}</b>
              {p.totalSteps ? `/${p.totalSteps}` : ''}
            </span>
            <span title="Training samples per second">
              <b className="mono">{p.samplesPerSec ? Math.round(p.samplesPerSec) : '—'}</b> samples/s
            </span>
            <span title="Estimated time left">
              ETA <b className="mono" data-testid="run-eta">{state === 'paused' ? 'paused' : formatDuration(p.eta)}</b>
            </span>
          </>
        ) : (
          <span className="muted">
            {dataset ? `${dataset.name}: ${plural(stepsPerEpoch(dataset.sizes.train, draft.config), 'step')} per epoch × ${plural(draft.config.epochs, 'epoch')}` : 'Pick a dataset to train on.'}
          </span>
        )}
      </div>
      <div className="tp-backend" title="The engine backend">
        <Icon name="info" size={12} />
        {backend ? (
          <span>
            Runs on <b data-testid="run-backend">{backend}</b>
          </span>
        ) : (
          <span>
            Will run on <b>{draft.config.backend === 'auto' ? (hostBackend ?? 'the best available backend') : draft.config.backend === 'torch' ? `PyTorch (${draft.config.device ?? 'auto'})` : draft.config.backend}</b>
          </span>
        )}
      </div>
      {run?.summary?.error && <div className="field-error" data-testid="run-error">{run.summary.error}</div>}
    </div>
  );
}

function PauseIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 24 24" aria-hidden="true">
      <path d="M7 5h3v14H7zM14 5h3v14h-3z" fill="currentColor" />
    </svg>
  );
}

function DatasetPreviewView({ preview }: { preview: DatasetPreview | null }) {
  if (!preview) return <div className="tp-ds-loading muted">Loading samples…</div>;
  const max = Math.max(1, ...preview.counts);
  const byClass = new Map<number, string[]>();
  for (const s of preview.samples) (byClass.get(s.label) ?? byClass.set(s.label, []).get(s.label)!).push(s.image);
  const d = preview.dataset;
  return (
    <div className="tp-ds" data-testid="dataset-preview">
      <div className="tp-ds-sizes muted">
        {d.shape.join('×')} · train {d.sizes.train.toLocaleString()} · val {d.sizes.val.toLocaleString()} · test {d.sizes.test.toLocaleString()}
      </div>
      {d.classes.map((c, i) => (
        <div key={i} className="tp-ds-row" data-testid="dataset-class">
          <span className="tp-ds-name" title={c}>
            {c}
          </span>
          <span className="tp-ds-thumbs">
            {(byClass.get(i) ?? []).slice(0, 3).map((src, k) => (
              <img key={k} src={src} alt={`${c} sample`} />
            ))}
          </span>
          <span className="tp-ds-count" title={`${preview.counts[i]} training ${d.task === 'classification' ? 'images' : d.task === 'detection' ? 'boxes' : 'pixels'}`}>
            <span className="tp-ds-bar" style={{ width: `${(preview.counts[i] / max) * 100}%` }} />
            <span className="mono">{fmt(preview.counts[i])}</span>
          </span>
        </div>
      ))}
      {preview.resize && (
        <p className="muted tp-ds-resize" data-testid="dataset-resize">
          {preview.resize}
        </p>
      )}
      {d.importReport && <SkippedFiles skipped={d.importReport.skipped} total={d.importReport.skippedTotal} warnings={d.importReport.warnings} />}
    </div>
  );
}

function SchedulePreview({ config, spe }: { config: TrainConfig; spe: number }) {
  const data = useMemo(() => previewSchedule(config, spe, 120), [config, spe]);
  return (
    <div className="tp-sched" data-testid="schedule-preview">
      <LineChart data={data} height={110} style={{ width: '100%' }} responsive margin={{ top: 6, right: 8, bottom: 0, left: -6 }}>
        <CartesianGrid {...GRID} />
        <XAxis dataKey="step" type="number" domain={[0, 'dataMax']} {...AXIS} tickFormatter={(s: number) => `${Math.round(s / spe)}`} ticks={epochTicks(config.epochs, spe)} />
        <YAxis {...AXIS} domain={[0, 'auto']} tickFormatter={(x: number) => fmt(x, 2)} width={46} />
        <Tooltip {...TOOLTIP} formatter={(x) => [fmt(x as number, 4), 'lr']} labelFormatter={(s) => `step ${s} (epoch ${(Number(s) / spe).toFixed(1)})`} />
        <Line dataKey="lr" stroke="var(--series-3)" strokeWidth={1.8} dot={false} isAnimationActive={false} type="linear" />
      </LineChart>
      <div className="tp-sched-x muted">epoch</div>
    </div>
  );
}

function epochTicks(epochs: number, spe: number): number[] {
  const every = Math.max(1, Math.ceil(epochs / 6));
  const out: number[] = [];
  for (let e = 0; e <= epochs; e += every) out.push(e * spe);
  return out;
}

function TrainPanelView() {
  const { lab, manager, store, trainDraft } = useEditor();
  const telemetry = useTelemetryStore();
  const task = useEditorState((s) => s.doc.meta.task);
  const doc = useEditorState((s) => s.doc);
  // Loaded weights bring their resize and centre crop: the samples show the images the run will see.
  const initFrom = doc.meta.weights?.from;
  const [draft, set, setDataset] = useDraft();
  const c = draft.config;
  const [datasets, setDatasets] = useState<DatasetSummary[] | null>(null);
  const [folder, setFolder] = useState('');
  const [preview, setPreview] = useState<DatasetPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The host refused the folder: it is outside the folders it may read until the user allows it.
  const [outsideRoots, setOutsideRoots] = useState(false);
  const [previewTry, setPreviewTry] = useState(0);
  const [hostBackend, setHostBackend] = useState<string | undefined>();
  const [torch, setTorch] = useState<TorchHostInfo | undefined>();

  useEffect(() => {
    if (!lab) return;
    lab.listDatasets().then(setDatasets, (e: Error) => setError(e.message));
    lab.hostInfo().then(
      (h) => {
        setHostBackend(h.backend);
        setTorch(h.torch);
      },
      () => undefined,
    );
  }, [lab]);

  const fit = useMemo(() => (datasets ?? []).filter((d) => d.task === task), [datasets, task]);
  // Pick a dataset that suits the graph's task when none (or one of another task) is chosen.
  useEffect(() => {
    if (!datasets) return;
    const cur = draft.dataset;
    if (cur.startsWith('folder:') || fit.some((d) => d.id === cur)) return;
    const same = fit.find((d) => d.shape.join() === doc.meta.input.shape.join());
    const pick = (same ?? fit[0])?.id;
    if (pick) setDataset(pick);
  }, [datasets, fit, draft.dataset, doc.meta.input.shape, setDataset]);

  useEffect(() => {
    if (!lab || !draft.dataset || draft.dataset === 'folder:') return;
    let cancelled = false;
    setPreview(null);
    setError(null);
    setOutsideRoots(false);
    lab.datasetPreview({ id: draft.dataset, perClass: 3, ...(initFrom ? { initFrom } : {}) }).then(
      (p) => !cancelled && setPreview(p),
      (e: Error & { code?: string }) => {
        if (cancelled) return;
        setError(e.message);
        setOutsideRoots(e.code === 'outside-roots');
      },
    );
    return () => {
      cancelled = true;
    };
  }, [lab, draft.dataset, previewTry, initFrom]);

  const allowFolder = useCallback(async () => {
    if (!lab || !draft.dataset.startsWith('folder:')) return;
    try {
      await lab.addDatasetRoot({ path: draft.dataset.slice('folder:'.length) });
      setPreviewTry((n) => n + 1);
    } catch (e) {
      setError((e as Error).message);
      setOutsideRoots(false);
    }
  }, [lab, draft.dataset]);

  // Electron only: the native folder picker (the chosen folder becomes an allowed dataset root).
  const pickFolder = (lab as Pick<LabClient, 'pickDatasetFolder'> | null)?.pickDatasetFolder;
  const browseFolder = useCallback(async () => {
    const picked = await pickFolder?.().catch((e: Error) => void setError(e.message));
    if (!picked) return;
    setFolder(picked);
    setDataset(`folder:${picked}`);
  }, [pickFolder, setDataset]);

  const ds: DatasetSummary | undefined = preview?.dataset ?? fit.find((d) => d.id === draft.dataset);
  const spe = ds ? stepsPerEpoch(ds.sizes.train, c) : 100;
  const adaptNotes = useMemo(() => (ds ? adaptToDataset(doc, { name: ds.name, shape: ds.shape, classes: ds.classes.length }).notes : []), [doc, ds]);

  const start = useCallback(async () => {
    const d = trainDraft.get();
    const r = await manager.execute('run.start', { dataset: d.dataset, config: runConfig(d.config) }, 'ui');
    const id = store.get().run?.id;
    if (!r.ok || !id) return;
    telemetry.setMeta(id, { classes: ds?.classes, config: runConfig(d.config), graph: store.get().doc });
    telemetry.select(id);
  }, [manager, store, telemetry, ds, trainDraft]);

  const warnings = useMemo(() => settingWarnings(c, ds?.sizes.train), [c, ds]);
  const warn = (path: string) =>
    warnings
      .filter((w) => w.path === path)
      .map((w) => (
        <div key={w.message} className="tp-warn" data-testid={`warn-${path}`}>
          <Icon name="warning" size={12} /> {w.message}
        </div>
      ));

  const num = (path: string, value: number | undefined, o: { step?: number; min?: number; max?: number; optional?: boolean; testId?: string; placeholder?: string } = {}) => (
    <NumberField value={value} commit={(v) => set(path, v)} {...o} />
  );

  const lossOptions =
    task === 'classification'
      ? [
          { value: 'auto', label: 'auto (cross-entropy)' },
          { value: 'cross_entropy', label: 'cross-entropy (softmax)' },
          { value: 'focal', label: 'focal loss' },
          { value: 'bce', label: 'BCE (per-class sigmoid, multi-label)' },
        ]
      : task === 'segmentation'
        ? [
            { value: 'auto', label: 'auto (pixel cross-entropy)' },
            { value: 'cross_entropy', label: 'pixel cross-entropy' },
            { value: 'focal', label: 'pixel focal loss' },
          ]
        : [{ value: 'auto', label: 'YOLO loss (box + objectness + class)' }];

  return (
    <aside className="train-panel" data-testid="train-panel">
      <div className="panel-header">
        <span>Train</span>
        <span className="spacer" />
        <span className="muted tp-task">{task}</span>
      </div>
      <div className="tp-scroll">
        <RunControls draft={draft} dataset={ds} hostBackend={hostBackend} onStart={() => void start()} />
        {/* sweeps */}
        <SweepSection draft={draft} />
        {error && (
          <div className="field-error tp-error" data-testid="train-error">
            {error}
            {outsideRoots && (
              <button className="btn tp-allow" onClick={() => void allowFolder()} data-testid="train-allow-folder" title="Let the host read datasets from this folder and below (kept in the lab's settings)">
                Allow this folder
              </button>
            )}
          </div>
        )}
        {warnings.length > 0 && (
          <div className="tp-warnings" data-testid="train-warnings" role="status">
            <b>
              {warnings.length} unusual setting{warnings.length === 1 ? '' : 's'}
            </b>{' '}
            <span className="muted">(training still starts)</span>
            <ul>
              {warnings.map((w) => (
                <li key={w.message}>{w.message}</li>
              ))}
            </ul>
          </div>
        )}

        <Section title="Dataset" testId="tp-dataset">
          <div className="tp-grid">
            <Row label="Dataset" htmlFor="tp-dataset">
              <SelectField
                id="tp-dataset"
                testId="train-dataset"
                value={draft.dataset.startsWith('folder:') ? '__folder' : draft.dataset}
                options={[...fit.map((d) => ({ value: d.id, label: `${d.name} (${d.shape.join('×')}, ${d.classes.length} classes)` })), { value: '__folder', label: 'Folder on the host…' }]}
                onChange={(v) => (v === '__folder' ? setDataset(folder ? `folder:${folder}` : 'folder:') : setDataset(v))}
              />
            </Row>
            {draft.dataset.startsWith('folder:') && (
              <Row label="Folder" hint="One subfolder per class, or a YOLO layout (images/ and labels/)">
                <div className="tp-folder">
                  <input className="input" placeholder="/path/to/images" value={folder || draft.dataset.slice(7)} onChange={(e) => setFolder(e.target.value)} onBlur={() => folder && setDataset(`folder:${folder}`)} onKeyDown={(e) => e.key === 'Enter' && folder && setDataset(`folder:${folder}`)} data-testid="train-folder" />
                  {pickFolder && (
                    <button className="btn" onClick={() => void browseFolder()} data-testid="train-browse-folder">
                      Browse…
                    </button>
                  )}
                </div>
              </Row>
            )}
          </div>
          {draft.dataset && draft.dataset !== 'folder:' && !outsideRoots && <DatasetPreviewView preview={preview} />}
          {adaptNotes.length > 0 && (
            <p className="tp-note" data-testid="adapt-notes">
              The network is adapted to the dataset when the run starts: {adaptNotes.join('; ')}.
            </p>
          )}
        </Section>

        <Section title="Loss">
          <div className="tp-grid">
            <Row label="Loss">
              <SelectField value={c.loss.name} options={lossOptions as { value: TrainConfig['loss']['name']; label: string }[]} onChange={(v) => set('loss.name', v)} testId="train-loss" />
            </Row>
            {task === 'classification' && <Row label="Label smoothing" hint="ŷ = y(1−α) + α/K">{num('loss.labelSmoothing', c.loss.labelSmoothing, { step: 0.05, min: 0, max: 0.5 })}</Row>}
            {warn('loss.labelSmoothing')}
            {c.loss.name === 'focal' && (
              <>
                <Row label="Focal γ">{num('loss.focalGamma', c.loss.focalGamma, { step: 0.5, min: 0 })}</Row>
                <Row label="Focal α">{num('loss.focalAlpha', c.loss.focalAlpha, { step: 0.05, min: 0, max: 1 })}</Row>
              </>
            )}
            {task === 'detection' && (
              <>
                <Row label="Box loss">
                  <SelectField value={c.detection?.boxLoss ?? 'ciou'} options={['ciou', 'diou', 'giou', 'iou', 'smooth_l1'] as const} onChange={(v) => set('detection.boxLoss', v)} />
                </Row>
                <Row label="Objectness">
                  <SelectField value={c.detection?.objectness ?? 'bce'} options={['bce', 'focal'] as const} onChange={(v) => set('detection.objectness', v)} />
                </Row>
                <Row label="Hard negatives" hint="per positive; 0 = all negatives count">
                  {num('detection.hardNegativeRatio', c.detection?.hardNegativeRatio ?? 0, { step: 1, min: 0 })}
                </Row>
                <Row label="Class loss">
                  <SelectField value={c.detection?.classLoss ?? 'bce'} options={['bce', 'ce'] as const} onChange={(v) => set('detection.classLoss', v)} />
                </Row>
              </>
            )}
            {task === 'segmentation' && <Row label="Dice weight" hint="loss = pixel loss + w · soft Dice">{num('segmentation.diceWeight', c.segmentation?.diceWeight ?? 1, { step: 0.1, min: 0 })}</Row>}
          </div>
        </Section>

        <Section title="Optimizer">
          <div className="tp-grid">
            <Row label="Optimizer">
              <SelectField value={c.optimizer.name} options={OPTIMIZERS} onChange={(v) => set('optimizer.name', v)} testId="train-optimizer" />
            </Row>
            <Row label="Learning rate">{num('optimizer.lr', c.optimizer.lr, { step: 0.0001, min: 0, testId: 'train-lr' })}</Row>
            {warn('optimizer.lr')}
            {['momentum', 'nesterov', 'rmsprop'].includes(c.optimizer.name) && <Row label="Momentum">{num('optimizer.momentum', c.optimizer.momentum, { step: 0.01, min: 0, max: 1 })}</Row>}
            {warn('optimizer.momentum')}
            {['adam', 'adamw'].includes(c.optimizer.name) && (
              <>
                <Row label="β1">{num('optimizer.beta1', c.optimizer.beta1, { step: 0.01, min: 0, max: 0.999 })}</Row>
                <Row label="β2">{num('optimizer.beta2', c.optimizer.beta2, { step: 0.001, min: 0, max: 0.9999 })}</Row>
              </>
            )}
            {c.optimizer.name === 'adamw' && <Row label="Weight decay" hint="Decoupled (AdamW)">{num('optimizer.weightDecay', c.optimizer.weightDecay, { step: 0.001, min: 0 })}</Row>}
            {warn('optimizer.weightDecay')}
          </div>
        </Section>

        <Section title="Schedule">
          <div className="tp-grid">
            <Row label="Schedule">
              <SelectField value={c.schedule.name} options={SCHEDULES} onChange={(v) => set('schedule.name', v)} testId="train-schedule" />
            </Row>
            {c.schedule.name === 'cosine' && (
              <>
                <Row label="Warmup epochs">{num('schedule.warmupEpochs', c.schedule.warmupEpochs, { step: 0.5, min: 0 })}</Row>
                {warn('schedule.warmupEpochs')}
                <Row label="Min LR factor">{num('schedule.minLrFactor', c.schedule.minLrFactor, { step: 0.01, min: 0, max: 1 })}</Row>
              </>
            )}
            {c.schedule.name === 'step' && <Row label="Every (epochs)">{num('schedule.stepEpochs', c.schedule.stepEpochs, { step: 1, min: 1 })}</Row>}
            {(c.schedule.name === 'step' || c.schedule.name === 'exponential') && <Row label="γ">{num('schedule.gamma', c.schedule.gamma, { step: 0.01, min: 0, max: 1 })}</Row>}
          </div>
          <SchedulePreview config={c} spe={spe} />
        </Section>

        <Section title="Batch and epochs">
          <div className="tp-grid">
            <Row label="Batch size">{num('batchSize', c.batchSize, { step: 1, min: 1, testId: 'train-batch' })}</Row>
            {warn('batchSize')}
            <Row label="Epochs">{num('epochs', c.epochs, { step: 1, min: 1, testId: 'train-epochs' })}</Row>
            <Row label="Steps">
              <span className="muted mono">
                {spe}/epoch · {spe * c.epochs} total
              </span>
            </Row>
          </div>
        </Section>

        <AugmentationsSection task={task} dataset={draft.dataset} augment={c.augment} set={set} />

        <Section title="Regularisation" defaultOpen={false} testId="tp-regularization">
          <div className="tp-grid">
            <Row label="L2" hint="λ·Σw² added to the loss (weight decay for SGD/Adam)">{num('regularization.l2', c.regularization.l2, { step: 0.0001, min: 0 })}</Row>
            {warn('regularization.l2')}
            <Row label="L1" hint="λ·Σ|w|: pushes weights to exactly 0 (sparsity)">{num('regularization.l1', c.regularization.l1, { step: 0.0001, min: 0 })}</Row>
            {warn('regularization.l1')}
            <Row label="Grad. clipping">
              <SelectField value={c.clip.mode} options={[{ value: 'none', label: 'none' }, { value: 'norm', label: 'by global norm' }, { value: 'value', label: 'by value' }]} onChange={(v) => set('clip.mode', v)} testId="train-clip" />
            </Row>
            {c.clip.mode !== 'none' && <Row label="Clip at">{num('clip.value', c.clip.value, { step: 0.1, min: 0 })}</Row>}
            {warn('clip.value')}
            <Row label="Init" hint="auto: He (Kaiming) for conv, Xavier (Glorot) for dense">
              <SelectField value={c.init} options={INITS} onChange={(v) => set('init', v)} testId="train-init" />
            </Row>
            {doc.nodes.some((n) => n.frozen) && (
              <Row label="Frozen BatchNorm" hint="BatchNorm inside frozen blocks: its running statistics (as at inference), or keep updating them from each batch (γ and β stay fixed)">
                <SelectField value={c.frozenBatchNorm} options={[{ value: 'running', label: 'running statistics' }, { value: 'update', label: 'keep updating' }]} onChange={(v) => set('frozenBatchNorm', v)} testId="train-frozen-bn" />
              </Row>
            )}
          </div>
          <p className="tp-note muted">Dropout and BatchNorm are blocks in the graph.</p>
        </Section>

        <Section title="Early stopping" defaultOpen={false}>
          <Check checked={c.earlyStopping.enabled} onChange={(v) => set('earlyStopping.enabled', v)} label="Stop when the metric stops improving" testId="train-early" />
          {c.earlyStopping.enabled && (
            <div className="tp-grid">
              <Row label="Metric">
                <SelectField value={c.earlyStopping.metric} options={[{ value: 'val_loss', label: 'validation loss' }, { value: 'val_accuracy', label: 'validation accuracy' }]} onChange={(v) => set('earlyStopping.metric', v)} />
              </Row>
              <Row label="Patience">{num('earlyStopping.patience', c.earlyStopping.patience, { step: 1, min: 1 })}</Row>
              <Row label="Min delta">{num('earlyStopping.minDelta', c.earlyStopping.minDelta, { step: 0.001, min: 0 })}</Row>
            </div>
          )}
        </Section>

        <Section title="Backend" defaultOpen={false} testId="tp-backend">
          <div className="tp-grid">
            <Row label="Backend">
              <SelectField
                value={c.backend === 'torch' ? `torch:${c.device ?? 'auto'}` : c.backend}
                options={backendOptions(torch, c.backend === 'torch' ? (c.device ?? 'auto') : undefined)}
                onChange={(v) => {
                  const [backend, device] = v.split(':');
                  set('backend', backend);
                  if (device) set('device', device);
                }}
                testId="train-backend"
              />
            </Row>
            <Row label="Threads" hint="Threads that split each batch's gradient computation (data parallelism)">
              <SelectField value={String(c.workers ?? 'auto')} options={workerOptions(c.workers)} onChange={(v) => set('workers', v === 'auto' ? 'auto' : Number(v))} testId="train-workers" />
            </Row>
          </div>
          <p className="tp-note muted">
            Auto picks the fastest that loads{hostBackend ? `: on this host, ${hostBackend}` : ''}. The run reports which one it uses.
          </p>
          {torch && !torch.available && (
            <p className="tp-note muted" data-testid="train-torch-missing">
              PyTorch: {torch.reason}. {torch.howTo}
            </p>
          )}
          {torch?.available && (
            <p className="tp-note muted" data-testid="train-torch-found">
              PyTorch {torch.version} found ({torch.python}): Auto uses it when it has a GPU.
            </p>
          )}
          <p className="tp-note muted" data-testid="train-workers-hint">
            Threads apply to classification on WebAssembly; other backends and tasks train on one.
          </p>
        </Section>

        <Section title="Telemetry and limits" defaultOpen={false} testId="tp-advanced">
          <div className="tp-grid">
            <Row label="Probe every" hint="Gradients, weights, activations and BN statistics every N steps (0: off)">{num('probeEvery', c.probeEvery, { step: 1, min: 0, testId: 'train-probe-every' })}</Row>
            <Row label="Train limit" hint="Use only the first N training samples">{num('trainLimit', c.trainLimit, { step: 1, min: 1, optional: true, placeholder: 'all', testId: 'train-limit' })}</Row>
            <Row label="Val limit" hint="Evaluate on the first N validation samples">{num('valLimit', c.valLimit, { step: 1, min: 1, optional: true, placeholder: 'all', testId: 'val-limit' })}</Row>
            <Row label="Seed">{num('seed', c.seed, { step: 1 })}</Row>
          </div>
        </Section>
      </div>
    </aside>
  );
}

export const TrainPanel = memo(TrainPanelView);

/** Readable names for the backend ids (the values stay the ids). */
const BACKEND_LABELS: Record<(typeof BACKENDS)[number], string> = {
  auto: 'Auto (fastest that loads)',
  'tensorflow-gpu': 'TensorFlow CUDA',
  tensorflow: 'TensorFlow CPU',
  webgpu: 'WebGPU',
  wasm: 'WebAssembly (our kernels)',
  cpu: 'JavaScript (slow)',
  torch: 'PyTorch',
};

/** The TF.js backends, then one PyTorch choice per device the host found (values `torch:<device>`). */
function backendOptions(torch: TorchHostInfo | undefined, device: string | undefined): { value: string; label: string }[] {
  const options: { value: string; label: string }[] = BACKENDS.filter((b) => b !== 'torch').map((value) => ({ value, label: value === 'auto' ? BACKEND_LABELS.auto : `TF.js · ${BACKEND_LABELS[value]}` }));
  for (const d of torch?.devices ?? []) if (!options.some((o) => o.value === `torch:${d.kind}`)) options.push({ value: `torch:${d.kind}`, label: d.label });
  // A loaded config asking for PyTorch on a device this host lacks (or before the host answered) stays selectable.
  if (device && !options.some((o) => o.value === `torch:${device}`)) options.push({ value: `torch:${device}`, label: device === 'auto' ? 'PyTorch · best device' : `PyTorch · ${device}${torch?.available === false ? ' (not available)' : ''}` });
  return options;
}

/** auto, 1, 2, 4, 8, 16 (and a count from a loaded config that is not among them). */
function workerOptions(current: TrainConfig['workers'] | undefined): { value: string; label: string }[] {
  const counts = [1, 2, 4, 8, 16];
  if (typeof current === 'number' && !counts.includes(current)) counts.push(current);
  return [{ value: 'auto', label: 'auto' }, ...counts.sort((a, b) => a - b).map((n) => ({ value: String(n), label: String(n) }))];
}
