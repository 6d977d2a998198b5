import { existsSync, promises as fsp } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { PredictError, Predictor, predictWith, type LoadedRun } from '../../engine/predict';
import { CheckpointError } from '../../runs/runStore';
import { isRunId } from '../../../shared/ids';
import { isModelFolder, ModelFolderError } from '../../engine/modelFolder';
import { loadModelFolderRun } from '../../engine/predict/fromModelFolder';
import { predictArgsSchema } from '../../../shared/predict';
import { netsmithHome } from '../../util/home';
import { MAX_IMAGE_FILE_BYTES, readRegularFile } from '../../engine/data/import/files';
import { CliError, parseArgs, type Command } from './types';

const USAGE =
  'npm run cli -- predict <run id | run folder> <image.png|jpg> [--top 5] [--class N|NAME] [--gradcam out.png] [--gradcam-layer NAME] [--features out.png] [--layer NAME] [--checkpoint best|last|NAME] [--runs DIR] [--json]';

function int(v: string | true | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isInteger(n) || n < min || n > max) throw new CliError(`--${name} needs an integer from ${min} to ${max}, got '${v === true ? '' : v}'`, 2);
  return n;
}

const pngBytes = (url: string): Buffer => Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');

/** Classifies (or detects in) one image with a run's checkpoint; writes the Grad-CAM overlay / feature maps when asked. */
export const command: Command = async (argv) => {
  const { positional, options } = parseArgs(argv, ['json'], ['top', 'class', 'gradcam', 'gradcam-layer', 'features', 'layer', 'checkpoint', 'runs']);
  const [ref, imagePath] = positional;
  if (!ref || !imagePath) throw new CliError(`usage: ${USAGE}`, 2);
  const runsDir = resolve(typeof options.runs === 'string' ? options.runs : `${netsmithHome()}/runs`);
  // A lab model folder (an import) predicts like a run, with its own preprocessing and class names.
  const modelFolder = isModelFolder(ref);
  const byFolder = existsSync(join(ref, 'run.json'));
  const root = byFolder ? dirname(resolve(ref)) : runsDir;
  const id = byFolder ? basename(resolve(ref)) : ref;
  // A model folder, a run folder, else a run id (the one rule: never '..' or a path) under the runs folder.
  if (!modelFolder && (!(byFolder || isRunId(id)) || !existsSync(join(root, id, 'run.json')))) throw new CliError(`'${ref}' is neither a run folder, a model folder nor a run id under ${runsDir}`, 2);
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(imagePath, MAX_IMAGE_FILE_BYTES);
  } catch (err) {
    throw new CliError((err as { code?: string }).code === 'not-found' ? `image '${imagePath}' not found` : `'${imagePath}' ${(err as Error).message}`, 2);
  }
  const top = int(options.top, 'top', 1, 50) ?? 5;
  const flag = (name: string): string | undefined => {
    const v = options[name];
    if (v === true) throw new CliError(`--${name} needs a value`, 2);
    return v;
  };
  const gradcamOut = flag('gradcam');
  const featuresOut = flag('features');
  const classArg = flag('class');

  const predictor = new Predictor(root);
  let folderRun: LoadedRun | undefined;
  try {
    if (modelFolder) folderRun = await loadModelFolderRun(ref);
    let classIndex: number | undefined;
    if (classArg !== undefined) {
      const run = folderRun ?? (await predictor.load(id, flag('checkpoint')));
      const classes = run.dataset.info.classes;
      classIndex = /^\d+$/.test(classArg) ? Number(classArg) : classes.indexOf(classArg);
      if (classIndex < 0 || classIndex >= classes.length) throw new CliError(`--class: no class '${classArg}' (classes: ${classes.join(', ')})`, 2);
    }
    const args = { id: folderRun ? 'model-folder' : id, top, classIndex, gradcamLayer: flag('gradcam-layer'), layer: flag('layer'), checkpoint: flag('checkpoint') };
    const image = { bytes, name: basename(imagePath) };
    const r = folderRun ? await predictWith(folderRun, { ...predictArgsSchema.omit({ image: true }).parse(args), ...image }) : await predictor.predict({ ...args, image });
    if (gradcamOut && r.gradcam) await fsp.writeFile(gradcamOut, pngBytes(r.gradcam.overlay));
    if (featuresOut && r.featureMaps) await fsp.writeFile(featuresOut, pngBytes(r.featureMaps.grid));
    if (options.json === true) {
      const { image: _image, mask: _mask, featureMaps, gradcam, ...rest } = r;
      console.log(
        JSON.stringify(
          {
            ...rest,
            ...(gradcam ? { gradcam: { classIndex: gradcam.classIndex, className: gradcam.className, layer: gradcam.layer, rows: gradcam.rows, cols: gradcam.cols, heat: gradcam.heat, ...(gradcam.note ? { note: gradcam.note } : {}), ...(gradcamOut ? { file: gradcamOut } : {}) } } : {}),
            ...(featureMaps ? { featureMaps: { layer: featureMaps.layer, shape: featureMaps.shape, shown: featureMaps.shown, ...(featuresOut ? { file: featuresOut } : {}) } } : {}),
          },
          null,
          2,
        ),
      );
      return 0;
    }
    console.log(`${basename(imagePath)} (${r.source.width}×${r.source.height}) → ${r.inputShape.join('×')}, run ${r.runId}, checkpoint ${r.checkpoint}`);
    if (r.top && r.task === 'classification') for (const [i, c] of r.top.entries()) console.log(`  ${String(i + 1).padStart(2)}. ${c.name.padEnd(16)} ${(c.probability * 100).toFixed(2).padStart(6)}%`);
    if (r.boxes) {
      if (r.boxes.length === 0) console.log(`  no box scores ${r.scoreThreshold} or more`);
      for (const b of r.boxes) console.log(`  ${b.name.padEnd(16)} ${b.score.toFixed(3)}  centre (${b.box[0].toFixed(3)}, ${b.box[1].toFixed(3)}) size ${b.box[2].toFixed(3)}×${b.box[3].toFixed(3)}`);
    }
    if (r.task === 'segmentation' && r.top) for (const c of r.top) console.log(`  ${c.name.padEnd(16)} ${(c.probability * 100).toFixed(1)}% of the pixels`);
    if (gradcamOut) console.log(r.gradcam ? `Grad-CAM of '${r.gradcam.className}' at ${r.gradcam.layer} → ${gradcamOut}${r.gradcam.note ? ` (${r.gradcam.note})` : ''}` : `no Grad-CAM: ${r.gradcamNote}`);
    if (featuresOut && r.featureMaps) console.log(`feature maps of ${r.featureMaps.layer} (${r.featureMaps.shown} of ${r.featureMaps.shape[2]} channels) → ${featuresOut}`);
    return 0;
  } catch (err) {
    if (err instanceof PredictError) throw new CliError(err.message, err.code === 'not-image' || err.code === 'bad-layer' || err.code === 'bad-class' ? 2 : 1);
    if (err instanceof CheckpointError) throw new CliError(err.message);
    if (err instanceof ModelFolderError) throw new CliError(err.message);
    throw err;
  } finally {
    folderRun?.dispose();
    predictor.dispose();
  }
};
