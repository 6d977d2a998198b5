/**
 * Default run names: what the run trains, on what, and the setting that most often tells runs apart
 * ("LeNet (MNIST 28×28) · mnist · Adam 1e-3", then "… #2" for the next one like it). Pure: the host names
 * new runs with it and the tests check it.
 */

const OPTIMIZER_NAMES: Record<string, string> = {
  sgd: 'SGD',
  momentum: 'SGD+momentum',
  nesterov: 'Nesterov',
  adagrad: 'Adagrad',
  rmsprop: 'RMSprop',
  adam: 'Adam',
  adamw: 'AdamW',
};

/** A learning rate as people write it: 0.1, 0.05, 1e-3, 2.5e-4, 100. */
export function shortRate(lr: number): string {
  if (!Number.isFinite(lr)) return String(lr);
  if (lr === 0) return '0';
  const a = Math.abs(lr);
  if (a >= 0.01 && a < 1e4) return String(+lr.toPrecision(3));
  const [m, e] = lr.toExponential(2).split('e');
  return `${+m}e${Number(e)}`;
}

/** The folder name of a dataset given as a path, else the dataset id. */
export function datasetLabel(dataset: string): string {
  const parts = dataset.split(/[\\/]/).filter(Boolean);
  return parts.length > 1 ? parts[parts.length - 1] : dataset;
}

export interface RunNameInput {
  /** The graph's name (the project's or template's); 'Untitled' is replaced by `fallback` when given. */
  graphName: string;
  dataset: string;
  config: { optimizer?: { name?: string; lr?: number } };
  /** Names of the runs that exist already (the number suffix counts those with the same base name). */
  existing?: readonly string[];
}

/** "LeNet-5 · mnist · Adam 1e-3", with " #N" when N−1 runs already carry that name. */
export function defaultRunName({ graphName, dataset, config, existing = [] }: RunNameInput): string {
  const opt = config.optimizer ?? {};
  const optimizer = OPTIMIZER_NAMES[opt.name ?? 'adam'] ?? opt.name ?? 'Adam';
  const setting = opt.lr !== undefined ? `${optimizer} ${shortRate(opt.lr)}` : optimizer;
  const base = `${graphName.trim() || 'Untitled'} · ${datasetLabel(dataset)} · ${setting}`;
  const taken = new Set(existing);
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base} #${n}`)) n++;
  return `${base} #${n}`;
}

/** A run's tags as stored: trimmed, no empties, no duplicates (case-insensitive), in the order given. */
export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of tags) {
    const tag = t.trim().replace(/\s+/g, ' ');
    if (!tag || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
  }
  return out;
}

/** The tags field's text ("baseline, lr sweep") as tags. */
export const parseTags = (text: string): string[] => normalizeTags(text.split(','));
