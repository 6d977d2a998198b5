// `npm run bench -- detect [--epochs N] [--train N] [--val N]`: trains the yolo_nano template on shapes-det with
// its recommended settings (what `npm run cli -- train yolo_nano --dataset shapes-det` does, in-process) and
// prints mAP@0.5 and the wall time per epoch. Target: mAP@0.5 ≥ 0.8 within a few minutes on 2 cores.
import { loadavg } from 'node:os';
import { selectBackend, tfjsPreference } from '../src/main/engine/backend/select';
import { compile } from '../src/main/engine/compile/compile';
import { loadDataset } from '../src/main/engine/data/registry';
import { probeTargets } from '../src/main/engine/train/targets';
import { resolveDetectionConfig } from '../src/main/engine/train/tasks/detection';
import { train } from '../src/main/engine/train/trainer';
import { templateById } from '../src/shared/templates';
import { trainConfigSchema } from '../src/shared/training/config';

export interface DetectBenchOptions {
  epochs?: number;
  /** Training / validation images (default: the dataset's 4,000 / 500). */
  train?: number;
  val?: number;
}

export interface DetectBenchResult {
  backend: string;
  epochs: { epoch: number; seconds: number; mAP50: number; mAP: number }[];
  mAP50: number;
  mAP: number;
  mAR: number;
  trainSeconds: number;
  totalSeconds: number;
  load: number[];
}

export const DETECT_TARGET = { mAP50: 0.8, seconds: 300 };

export async function runDetectBench(o: DetectBenchOptions = {}, log: (line: string) => void = console.log): Promise<DetectBenchResult> {
  const t0 = performance.now();
  const template = templateById('yolo_nano')!;
  const rec = template.recommended!;
  let config = trainConfigSchema.parse({ ...rec.config, ...(o.epochs ? { epochs: o.epochs } : {}), ...(o.train ? { trainLimit: o.train } : {}), ...(o.val ? { valLimit: o.val } : {}) });
  const backend = await selectBackend({ prefer: tfjsPreference(config.backend) });
  const { dataset } = await loadDataset(rec.dataset, { seed: config.seed });
  const compiled = compile(template.build(), { seed: config.seed });
  config = resolveDetectionConfig(dataset, config, compiled.model);
  log(`yolo_nano on ${rec.dataset}: ${Math.min(dataset.split('train').length, config.trainLimit ?? Infinity)} training images, ${config.epochs} epochs, batch ${config.batchSize}, ${config.optimizer.name} ${config.optimizer.lr} (${backend.label})`);
  const started = performance.now();
  const epochs: DetectBenchResult['epochs'] = [];
  const result = await train({
    model: compiled.model,
    dataset,
    config,
    probeTargets: probeTargets(compiled),
    hooks: {
      epoch: (e) => {
        const d = e.val.detection!;
        epochs.push({ epoch: e.epoch, seconds: (performance.now() - started) / 1000, mAP50: d.mAP50, mAP: d.mAP });
        log(`  epoch ${e.epoch}  ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s  train loss ${e.train.loss.toFixed(3)}  val mAP@0.5 ${d.mAP50.toFixed(3)}  mAP@[.5:.95] ${d.mAP.toFixed(3)}`);
      },
    },
  });
  const d = result.final!.detection!;
  compiled.model.dispose();
  return { backend: backend.label, epochs, mAP50: d.mAP50, mAP: d.mAP, mAR: d.mAR, trainSeconds: (performance.now() - started) / 1000, totalSeconds: (performance.now() - t0) / 1000, load: loadavg() };
}

export function formatDetectResult(r: DetectBenchResult): string {
  const ok = r.mAP50 >= DETECT_TARGET.mAP50 && r.trainSeconds <= DETECT_TARGET.seconds;
  return (
    `${'yolo_nano shapes-det'.padEnd(30)} mAP@0.5 ${r.mAP50.toFixed(3)}  mAP@[.5:.95] ${r.mAP.toFixed(3)}  mAR ${r.mAR.toFixed(3)}  ` +
    `${r.trainSeconds.toFixed(0)} s training (${r.totalSeconds.toFixed(0)} s with data and setup)  ` +
    `(target mAP@0.5 ≥ ${DETECT_TARGET.mAP50} within ${DETECT_TARGET.seconds} s) ${ok ? 'OK' : r.mAP50 >= DETECT_TARGET.mAP50 ? 'SLOW' : 'LOW'}\n` +
    `${''.padEnd(30)} load average during the run ${r.load.map((v) => v.toFixed(1)).join(', ')} (1/5/15 min)`
  );
}
