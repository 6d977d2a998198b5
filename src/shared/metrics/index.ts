export * from './classification';
export * from './boxes';
export * from './nms';
export * from './detection';
export * from './segmentation';
