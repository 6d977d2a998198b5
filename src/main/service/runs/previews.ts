import type { AugmentPreview, DatasetPreview, RunDetail, SampleImages } from '../../../shared/api';
import type { LabEvent } from '../../../shared/api';
import { parseAugmentConfig } from '../../engine/data/augment/config';
import { previewPipeline, splitSource } from '../../engine/data/augment/pipeline';
import { floatToUint8, pngDataUrl } from '../../engine/data/image/encode';
import { loadResultCache } from '../../engine/data/registry';
import { importReportOf } from '../../../shared/importReport';
import type { Dataset, SplitName } from '../../engine/data/types';
import { describeResizeCrop, type EvalCrop } from '../../engine/data/image/resizeCrop';
import { resolveInitSource } from '../../engine/weights/initFrom';


/** Datasets stay loaded for previews (a few MB each); the oldest of three goes first. */
const loadCached = loadResultCache(3);
export function cachedDataset(id: string, seed = 42, crop?: EvalCrop): Promise<Dataset> {
  return loadCached(id, seed, crop).then((r) => r.dataset);
}

/** The resize a run from these weights gives folder images; an unreadable source (the run itself says why) gives none. */
async function cropOfInit(initFrom: string | undefined): Promise<EvalCrop | undefined> {
  if (!initFrom) return undefined;
  return (await resolveInitSource(initFrom).catch(() => undefined))?.crop;
}

/** How the originals were resized for the loaded weights (none without a crop, or for images already that size). */
function resizeNote(ds: Dataset, crop: EvalCrop | undefined, shown: 'Images' | 'Originals'): string | undefined {
  const shorter = ds.info.resizeShorter;
  return crop && shorter ? `${shown} as the loaded weights expect them: ${describeResizeCrop(shorter, [ds.info.shape[0], ds.info.shape[1]])}.` : undefined;
}

/** `initFrom`: the graph's loaded weights, whose resize and centre crop the folder images get (as in a run). */
export async function datasetPreview(id: string, perClass: number, initFrom?: string): Promise<DatasetPreview> {
  const crop = await cropOfInit(initFrom);
  const loaded = await loadCached(id, 42, crop);
  const ds = loaded.dataset;
  const { info } = ds;
  const imported = info.id.startsWith('folder:');
  const resize = resizeNote(ds, crop, 'Images');
  const split = ds.split('train');
  const [h, w, c] = info.shape;
  const taken = new Map<number, number>();
  const samples: DatasetPreview['samples'] = [];
  for (let i = 0; i < split.length && samples.length < perClass * info.classes.length; i++) {
    const label = split.label(i);
    if ((taken.get(label) ?? 0) >= perClass) continue;
    taken.set(label, (taken.get(label) ?? 0) + 1);
    samples.push({ index: i, label, image: pngDataUrl(split.rawImage(i), h, w, c) });
  }
  return {
    dataset: { id: info.id, name: info.name, task: info.task, shape: info.shape, classes: info.classes, sizes: info.sizes, ...(imported ? { importReport: importReportOf(loaded.skipped, loaded.warnings) } : {}) },
    counts: split.classCounts(),
    samples,
    ...(resize ? { resize } : {}),
  };
}

/** `initFrom`: the run's weights, whose resize and centre crop the folder images get first (as in the run). */
export async function augmentPreview(a: { id: string; augment: Record<string, unknown>; seed: number; count: number; variants: number; initFrom?: string }): Promise<AugmentPreview> {
  const crop = await cropOfInit(a.initFrom);
  const ds = await cachedDataset(a.id, 42, crop);
  const config = parseAugmentConfig(a.augment);
  const split = ds.split('train');
  const [h, w, c] = ds.info.shape;
  const source = splitSource(split, ds.info.shape);
  const ctx = { task: ds.info.task, numClasses: ds.info.classes.length };
  const items: AugmentPreview['items'] = [];
  for (let k = 0; k < a.count; k++) {
    // Any integer seed (negative too) picks an index in range.
    const index = (((k * 997 + a.seed) % split.length) + split.length) % split.length;
    const augmented: string[] = [];
    for (let v = 0; v < a.variants; v++) augmented.push(pngDataUrl(floatToUint8(previewPipeline(source, index, config, ctx, a.seed * 31 + v).image.data), h, w, c));
    items.push({ index, original: pngDataUrl(split.rawImage(index), h, w, c), augmented });
  }
  const resize = resizeNote(ds, crop, 'Originals');
  return { items, ...(resize ? { resize } : {}) };
}

export async function sampleImages(datasetId: string, seed: number, split: SplitName, indices: readonly number[], crop?: EvalCrop): Promise<SampleImages> {
  const ds = await cachedDataset(datasetId, seed, crop);
  const s = ds.split(split);
  const [h, w, c] = ds.info.shape;
  return { images: indices.filter((i) => i < s.length).map((index) => ({ index, label: s.label(index), image: pngDataUrl(s.rawImage(index), h, w, c) })) };
}

/** The run's log for the dashboards: all epochs and logs, steps thinned, recent probes. */
export function thinEvents(lines: readonly string[]): RunDetail['events'] {
  const events: LabEvent[] = [];
  for (const line of lines) {
    if (!line) continue;
    try {
      events.push(JSON.parse(line) as LabEvent);
    } catch {
      // a line cut off by a crash: skip it, keep the rest
    }
  }
  const steps = events.filter((e) => e.type === 'step');
  const keepEvery = Math.max(1, Math.ceil(steps.length / 2000));
  const probes = events.filter((e) => e.type === 'probe');
  const recentProbes = new Set(probes.slice(-200));
  let stepIndex = 0;
  return events.filter((e) => {
    if (e.type === 'step') return stepIndex++ % keepEvery === 0 || stepIndex === steps.length;
    if (e.type === 'probe') return recentProbes.has(e);
    return true;
  });
}
