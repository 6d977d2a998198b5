/**
 * How a frozen layer behaves when called in training mode. Kept apart from frozen.ts (which reaches the compiler)
 * because layer code imports it, and layer code is bundled into the exported TF.js loader.
 */
import type * as tf from '@tensorflow/tfjs';

/** Frozen layers that still normalise with batch statistics and update their running ones while training. */
export const updatesStatsWhenFrozen = new WeakSet<tf.layers.Layer>();

/** Whether a layer, called in training mode, should behave as at inference (a frozen layer, running statistics). */
export const inferenceWhenFrozen = (layer: tf.layers.Layer): boolean => !layer.trainable && !updatesStatsWhenFrozen.has(layer);
