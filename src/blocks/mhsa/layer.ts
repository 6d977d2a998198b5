import * as tf from '@tensorflow/tfjs';
import { attentionProbabilities, selfAttention } from '../../main/engine/blocks/attention';
import { isTraining, NetsmithLayer, one, oneShape, registerLayer, type Kwargs } from '../../main/engine/blocks/layer';

interface MhsaOpts {
  [key: string]: number | boolean;
  heads: number;
  dropout: number;
  qkvBias: boolean;
}

/** Multi-head self-attention on a token sequence `[N, D]` (torch.nn.MultiheadAttention's parameters). */
export class MultiHeadSelfAttention extends NetsmithLayer<MhsaOpts> {
  static className = 'Netsmith>MHSA';
  private qkvKernel?: tf.LayerVariable;
  private qkvBias?: tf.LayerVariable;
  private outKernel?: tf.LayerVariable;
  private outBias?: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const d = oneShape(inputShape)[2] as number;
    const zeros = tf.initializers.zeros();
    this.qkvKernel = this.addWeight('qkv_kernel', [d, 3 * d], 'float32', this.initOf('qkv'), undefined, true);
    if (this.opts.qkvBias) this.qkvBias = this.addWeight('qkv_bias', [3 * d], 'float32', zeros, undefined, true);
    this.outKernel = this.addWeight('out_kernel', [d, d], 'float32', this.initOf('out'), undefined, true);
    this.outBias = this.addWeight('out_bias', [d], 'float32', zeros, undefined, true);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() =>
      selfAttention(
        one(inputs),
        { qkvKernel: this.qkvKernel!.read(), qkvBias: this.qkvBias?.read(), outKernel: this.outKernel!.read(), outBias: this.outBias!.read() },
        this.opts.heads,
        this.opts.dropout,
        isTraining(kwargs),
      ),
    );
  }

  /** Inspection: the attention probabilities `[B, heads, N, N]` for this layer's input `x` (no dropout). */
  attentionWeights(x: tf.Tensor): tf.Tensor4D {
    return attentionProbabilities(x, { qkvKernel: this.qkvKernel!.read(), qkvBias: this.qkvBias?.read() }, this.opts.heads);
  }
}
registerLayer(MultiHeadSelfAttention);
