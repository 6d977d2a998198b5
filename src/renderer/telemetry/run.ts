import type { EpochEvent, LabEvent, LogEvent, ResumeEvent, RunDetail, RunState, RunSummary, StepEvent } from '../../shared/api';
import type { EvaluationReport, LayerProbe, ProbeEvent, SamplePrediction } from '../../shared/training/telemetry';
import { DecimatingSeries, RingBuffer } from './series';
import { ProbeHistory } from './probes';

/** One row per finished epoch: the scalars (the full evaluation report is kept for the latest epoch only). */
export interface EpochRow {
  epoch: number;
  lr: number;
  seconds: number;
  trainLoss: number;
  trainAcc?: number;
  valLoss: number;
  valAcc: number;
  top5?: number;
  macroF1?: number;
  mAP50?: number;
  mIoU?: number;
}

/**
 * What the dashboards know about a run beyond its events and summary: its settings, graph and classes, from the
 * run's record (RunDetail), or from the Train panel until the record is loaded.
 */
export type RunMeta = Partial<Pick<RunDetail, 'config' | 'graph' | 'classes'>>;

export type Channel = 'steps' | 'epochs' | 'probes' | 'status' | 'logs';

export const STEP_CAPACITY = 2048;
export const MAX_EPOCHS = 10_000;
/** Epochs of sample boxes kept for the "over epochs" view. */
export const MAX_SAMPLE_EPOCHS = 60;
export const LOG_CAPACITY = 200;
/** Full probes kept for the verdicts (median over the last few). */
export const RECENT_PROBES = 3;

/**
 * The bounded telemetry of one run: steps (decimated over the whole run), every epoch's scalars, the last
 * evaluation report, a capped probe history plus the latest full probes, recent logs and the run's status.
 */
export class RunTelemetry {
  readonly steps = new DecimatingSeries(['loss', 'acc', 'lr', 'sps'] as const, STEP_CAPACITY);
  readonly epochs: EpochRow[] = [];
  readonly probes: ProbeHistory;
  readonly recentProbes = new RingBuffer<ProbeEvent>(RECENT_PROBES);
  readonly logs = new RingBuffer<LogEvent>(LOG_CAPACITY);
  lastStep: StepEvent | null = null;
  /** Where the run was resumed from a checkpoint, oldest first. */
  readonly resumes: ResumeEvent[] = [];
  lastEval: { epoch: number; report: EvaluationReport } | null = null;
  /** Every epoch's predicted boxes on the same validation images (detection), oldest first, capped. */
  readonly sampleHistory: { epoch: number; samples: SamplePrediction[] }[] = [];
  summary: RunSummary | null = null;
  /** The log event of the dataset import that lists the skipped files (kept apart: the log ring may drop it). */
  importLog: LogEvent | null = null;
  meta: RunMeta = {};
  /** Wall-clock samples (ms, step) of recent steps while running, for the ETA. */
  readonly pace = new RingBuffer<[number, number]>(64);
  /** Per-channel change counters (the views re-render only on their channel). */
  readonly versions: Record<Channel, number> = { steps: 0, epochs: 0, probes: 0, status: 0, logs: 0 };
  /** Last access (for the store's eviction of old runs). */
  touched = 0;

  constructor(
    readonly id: string,
    probeBudget?: number,
  ) {
    this.probes = new ProbeHistory(probeBudget);
  }

  get state(): RunState | undefined {
    return this.summary?.state;
  }

  get latestProbe(): ProbeEvent | undefined {
    return this.recentProbes.last();
  }

  /** Applies one event; returns the channel it changed (or null when it was not about this run). */
  ingest(e: LabEvent, now = Date.now()): Channel | null {
    switch (e.type) {
      case 'step': {
        if (this.lastStep && e.step < this.lastStep.step) this.resetStepsFrom(e.step);
        this.lastStep = e;
        this.steps.push(e.step, { loss: e.loss, acc: e.accuracy, lr: e.lr, sps: e.samplesPerSec });
        if (this.summary?.state !== 'paused') this.pace.push([now, e.step]);
        this.versions.steps++;
        return 'steps';
      }
      case 'epoch':
        this.addEpoch(e);
        this.versions.epochs++;
        return 'epochs';
      case 'probe':
        this.probes.push(e);
        this.recentProbes.push(e);
        this.versions.probes++;
        return 'probes';
      case 'log':
        if (e.skipped) this.importLog = e;
        this.logs.push(e);
        this.versions.logs++;
        return 'logs';
      case 'resume': {
        this.resumes.push(e);
        // A restarted epoch trains its steps again: the curves keep what came before the restart point.
        if (this.lastStep && this.lastStep.step > e.step) this.resetStepsFrom(e.step + 1);
        this.versions.steps++;
        return 'steps';
      }
      case 'run-status': {
        const before = this.summary?.state;
        this.summary = e.run;
        if (before !== e.run.state) this.pace.clear();
        this.versions.status++;
        return 'status';
      }
      default:
        return null;
    }
  }

  private addEpoch(e: EpochEvent): void {
    const per = e.val.perClass;
    const macroF1 = per && per.length ? per.reduce((s, c) => s + c.f1, 0) / per.length : undefined;
    const row: EpochRow = {
      epoch: e.epoch,
      lr: e.lr,
      seconds: e.seconds,
      trainLoss: e.train.loss,
      trainAcc: e.train.accuracy,
      valLoss: e.val.loss,
      valAcc: e.val.accuracy,
      top5: e.val.top5,
      macroF1,
      mAP50: e.val.detection?.mAP50,
      mIoU: e.val.segmentation?.mIoU,
    };
    // A resumed run repeats epochs after its checkpoint: the newer one wins.
    while (this.epochs.length && this.epochs[this.epochs.length - 1].epoch >= e.epoch) this.epochs.pop();
    this.epochs.push(row);
    if (this.epochs.length > MAX_EPOCHS) this.epochs.splice(0, this.epochs.length - MAX_EPOCHS);
    this.lastEval = { epoch: e.epoch, report: e.val };
    if (e.val.samples?.length && !e.val.samples[0].mask) {
      while (this.sampleHistory.length && this.sampleHistory[this.sampleHistory.length - 1].epoch >= e.epoch) this.sampleHistory.pop();
      this.sampleHistory.push({ epoch: e.epoch, samples: e.val.samples });
      // Past the cap, every other old epoch goes (the first and the recent ones stay).
      if (this.sampleHistory.length > MAX_SAMPLE_EPOCHS) this.sampleHistory.splice(1, this.sampleHistory.length, ...this.sampleHistory.slice(1).filter((_, i, a) => i % 2 === 1 || i >= a.length - 10));
    }
  }

  /** A resumed run restarts from its checkpoint's step: drop what came after it. */
  private resetStepsFrom(step: number): void {
    const rows = this.steps.rows().filter((r) => r.x < step);
    this.steps.clear();
    for (const r of rows) this.steps.push(r.x, r);
  }

  /**
   * Optimizer steps per epoch, as the training worker counted them (run.json keeps the count; a resume marker
   * repeats it for a run whose summary has not arrived yet). Unknown until the worker has loaded the data.
   */
  get stepsPerEpoch(): number | undefined {
    return this.summary?.stepsPerEpoch ?? this.resumes[this.resumes.length - 1]?.stepsPerEpoch;
  }

  /** Layers of the latest probe (empty before the first). */
  latestLayers(): readonly LayerProbe[] {
    return this.latestProbe?.layers ?? [];
  }

  /** Rough retained size in bytes (typed arrays exact, objects estimated). */
  bytes(): number {
    const probeObj = (p: ProbeEvent | undefined) => (p ? JSON.stringify(p).length * 2 : 0);
    let recent = 0;
    for (const p of this.recentProbes.toArray()) recent += probeObj(p);
    const evalBytes = this.lastEval ? JSON.stringify(this.lastEval.report).length * 2 : 0;
    const sampleBytes = this.sampleHistory.reduce((n, h) => n + JSON.stringify(h.samples).length * 2, 0);
    return this.steps.bytes() + this.epochs.length * 120 + this.probes.bytes() + recent + evalBytes + sampleBytes + this.logs.length * 200 + this.pace.length * 40;
  }
}
