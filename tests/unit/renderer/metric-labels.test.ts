import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { curveLabels, headlineColumn, headlineMetric } from '../../../src/renderer/dashboards/metricLabels';
import { attentionQuery, attentionSubtitle } from '../../../src/renderer/predict/attentionWording';

describe('learning-curve metric names', () => {
  it('classification: accuracy everywhere, train and validation on one chart', () => {
    assert.deepEqual(curveLabels('classification', 'accuracy'), {
      step: 'accuracy',
      val: 'accuracy',
      headline: 'accuracy',
      trainOnEpochChart: true,
      epochTitle: 'Accuracy per epoch',
      stepTitle: 'Training accuracy per step',
    });
  });
  it('detection: the step metric is the box IoU, validation is mAP@0.5 (no train line beside it)', () => {
    const l = curveLabels('detection', 'box IoU');
    assert.equal(l.epochTitle, 'mAP@0.5 per epoch');
    assert.equal(l.stepTitle, 'Training box IoU per step');
    assert.equal(l.val, 'mAP@0.5');
    assert.equal(l.trainOnEpochChart, false);
  });
  it('segmentation: pixel accuracy for train and validation, mIoU as a separate headline', () => {
    const l = curveLabels('segmentation', 'pixel accuracy');
    assert.equal(l.epochTitle, 'Pixel accuracy and mIoU per epoch');
    assert.equal(l.stepTitle, 'Training pixel accuracy per step');
    assert.equal(l.headline, 'mIoU');
    assert.equal(l.trainOnEpochChart, true);
  });
  it('old runs without metric names fall back to the task names, accuracy when the task is unknown', () => {
    assert.equal(curveLabels(undefined).stepTitle, 'Training accuracy per step');
    assert.equal(curveLabels(undefined).epochTitle, 'Accuracy per epoch');
    assert.equal(curveLabels('detection').step, 'box IoU');
    assert.equal(curveLabels('segmentation', '').step, 'pixel accuracy');
  });
});

describe('runs table headline metric', () => {
  it('picks mAP@0.5 / mIoU from the record, else accuracy', () => {
    assert.deepEqual(headlineMetric({ val_accuracy: 0.4, val_mAP50: 0.4 }), { name: 'mAP@0.5', value: 0.4 });
    assert.deepEqual(headlineMetric({ val_accuracy: 0.9, val_mIoU: 0.6 }), { name: 'mIoU', value: 0.6 });
    assert.deepEqual(headlineMetric({ val_accuracy: 0.97 }), { name: 'accuracy', value: 0.97 });
    assert.deepEqual(headlineMetric(undefined), { name: 'accuracy', value: undefined });
  });
  it('the column is named after the metric the runs share, neutral when they differ', () => {
    assert.equal(headlineColumn([{ metrics: { val_accuracy: 0.9 } }, {}]), 'val acc');
    assert.equal(headlineColumn([{ metrics: { val_mAP50: 0.3 } }, { metrics: {} }]), 'val mAP@0.5');
    assert.equal(headlineColumn([{ metrics: { val_mIoU: 0.3 } }, { metrics: { val_accuracy: 0.9 } }]), 'val metric');
    assert.equal(headlineColumn(null), 'val acc');
  });
});

describe('attention wording', () => {
  it('names the class token only when the model has one', () => {
    assert.equal(attentionSubtitle('cls'), 'where the class token looks, per layer and head');
    assert.match(attentionSubtitle('mean'), /no class token/);
    assert.doesNotMatch(attentionSubtitle('mean'), /where the class token/);
    assert.doesNotMatch(attentionSubtitle(undefined), /class token/);
    assert.equal(attentionQuery('cls'), 'the class token');
    assert.equal(attentionQuery('mean'), 'all tokens (mean; no class token)');
  });
});
