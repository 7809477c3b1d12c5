package dev.ember.core.spi;

import dev.ember.core.DType;

/**
 * The compute backend SPI, in two tiers.
 *
 * <ul>
 *   <li><b>Required primitives</b> ({@link #SPI_METHODS} abstract methods): lifecycle, memory and
 *       copies, {@link #fill}, {@link #cast}, {@link #copyStrided}, {@link #gemm}, {@link #unary},
 *       {@link #binary}, {@link #reduce}, {@link #random} and {@link #synchronize}. A new backend
 *       writes these and nothing else, in {@link DType#F32} and {@link DType#F64}.</li>
 *   <li><b>Derived operations</b> ({@link #DERIVED_METHODS} {@code default} methods): activations and
 *       their backward, bias + activation, softmax and its backward, batch norm, the optimiser
 *       updates and fused element-wise {@link Expression}s, each composed once in {@link DerivedOps}
 *       from the primitives. A backend overrides one
 *       only for speed; the conformance kit compares every override with the composition.</li>
 * </ul>
 *
 * <p>Contract shared by all methods:
 * <ul>
 *   <li>Arguments have been validated by the core (shapes, dtypes, ranges, ownership): kernels may
 *       trust them, but must never corrupt memory if they are wrong (Java arrays check bounds;
 *       native backends check a span's end against its buffer once per call, not per element).</li>
 *   <li>All buffers of one call share one dtype (except {@link #cast}) and belong to this backend.</li>
 *   <li>Matrices are row-major. Outputs may alias inputs only where a method says so.</li>
 *   <li>Calls may be asynchronous; {@link #read} and {@link #synchronize} wait for earlier work.</li>
 * </ul>
 *
 * <p><b>Special values</b> follow IEEE 754 and numpy in every operation, on every backend:
 * <ul>
 *   <li>NaN propagates: any arithmetic with a NaN operand, {@code exp}, {@code log}, {@code sqrt},
 *       {@code tanh}, every activation ({@code relu(NaN)} is NaN), {@code MIN}/{@code MAX} and their
 *       scalar forms ({@code np.minimum}/{@code np.maximum}, not {@code fmin}/{@code fmax}), every
 *       reduction ({@code SUM}, {@code MEAN}, {@code MAX}, {@code MIN}, {@code SUM_OF_SQUARES}) and
 *       GEMM (no zero is skipped: {@code 0 * NaN} and {@code 0 * Inf} are NaN). {@code ARGMAX} of a
 *       row holding NaN is the index of its first NaN ({@code np.argmax}). A comparison with NaN is
 *       false: {@code GREATER} gives 0, and so the ReLUs' gradient at NaN is 0.</li>
 *   <li>Infinities: a sum holding +Inf (and no -Inf or NaN) is +Inf, {@code Inf - Inf} and
 *       {@code 0 * Inf} are NaN, {@code 1/0} is +Inf, {@code log(0)} is -Inf, {@code log(-1)} and
 *       {@code sqrt(-1)} are NaN, {@code sigmoid(-Inf)} is 0 and {@code sigmoid(+Inf)} is 1.
 *       Compensated (Kahan) sums must still give these IEEE results.</li>
 *   <li>Softmax computes {@code exp(x - max) / sum} per row, as numpy users write it: a -Inf logit gets
 *       probability 0 (a mask), and a row holding NaN or +Inf, or only -Inf, is NaN throughout.</li>
 *   <li>Gradients multiply: {@code activationBackward}'s {@code dx = dy * act'(x)} keeps a NaN or
 *       infinite {@code dy} even where the slope is 0 ({@code 0 * Inf} is NaN).</li>
 *   <li>{@code MAX}/{@code MIN} (and their scalar and reduction forms) order -0 below +0, as IEEE
 *       754-2019's maximum/minimum and Java's {@link Math#max} do: {@code max(-0, +0)} is +0 in
 *       either order, so {@code relu(-0)} is +0.</li>
 *   <li>-0 is kept where IEEE keeps it: {@code fill}, copies, casts, strided copies, {@code NEG},
 *       {@code SIGN}, multiplication by a positive number, {@code sqrt(-0)} and {@code tanh(-0)} give -0.</li>
 * </ul>
 *
 * <p><b>Threads.</b> A backend is shared: every method may be called from many threads at once.
 * One thread's calls take effect in the order it makes them; calls from different threads are not
 * ordered against each other, so a thread that reads what another wrote needs a happens-before
 * edge from that write (a {@code join}, an executor hand-over).
 */
public interface Backend extends AutoCloseable {
    /** Number of abstract methods in this interface: the required tier, what a new backend has to implement. */
    int SPI_METHODS = 20;

    /** Number of {@code default} methods: the derived tier, composed in {@link DerivedOps}. */
    int DERIVED_METHODS = 14;

    /** The provider name: {@code cpu}, {@code opencl}, {@code cuda}. */
    String name();

    /** Human-readable description of the device and its configuration. */
    String device();

    /** Releases the backend's own resources (queues, contexts, pools). Buffers are freed by their owners. */
    @Override
    void close();

    // ---------------------------------------------------------------- memory

    /**
     * Allocates a zero-filled buffer of {@code length >= 1} elements.
     *
     * @throws dev.ember.core.OutOfDeviceMemoryException if the backend cannot back it (its memory, its
     *         {@link MemoryLimit}); the backend stays usable
     */
    DeviceBuffer allocate(DType dtype, int length);

    /** Releases a buffer; called exactly once per buffer by the core. */
    void free(DeviceBuffer buffer);

    /** Live-buffer accounting, for leak tests and {@code ember info}. */
    MemoryStats memory();

    /** Records that the garbage-collection safety net freed a buffer whose tensors were never closed. */
    void noteReclaimedByCleaner();

    /** Copies {@code length} host floats into {@code dst} (an F32 buffer). */
    void write(Span dst, float[] src, int srcOffset, int length);

    /** Copies {@code length} host doubles into {@code dst} (an F64 buffer). */
    void write(Span dst, double[] src, int srcOffset, int length);

    /** Copies {@code length} elements of an F32 buffer to the host. */
    void read(Span src, float[] dst, int dstOffset, int length);

    /** Copies {@code length} elements of an F64 buffer to the host. */
    void read(Span src, double[] dst, int dstOffset, int length);

    /** Waits until every call issued so far has finished. */
    void synchronize();

    // ---------------------------------------------------------------- data movement

    /** Sets {@code length} elements to {@code value}. */
    void fill(Span dst, int length, double value);

    /**
     * Gathers a strided view into contiguous row-major order: destination element
     * {@code (i0, ..., ir)} (row-major over {@code shape}) is read from
     * {@code src[src.offset + sum(ik * srcStrides[k])]}. Strides may be zero.
     */
    void copyStrided(Span src, int[] shape, int[] srcStrides, Span dst);

    /** Converts {@code length} elements between dtypes (F32 to F64 or back; same dtype is a copy). */
    void cast(Span src, Span dst, int length);

    // ---------------------------------------------------------------- linear algebra

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} with {@code op(A)} of shape {@code m x k} and
     * {@code op(B)} {@code k x n}, BLAS-style with row-major leading dimensions: element (i, j) of
     * A is {@code a[i * lda + j]} (so {@code op(A) = A^T} reads {@code a[j * lda + i]}). When
     * {@code beta == 0} the old contents of C are ignored (NaN does not propagate). C must not
     * alias A or B.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              double alpha, Span a, int lda, Span b, int ldb, double beta, Span c, int ldc);

    // ---------------------------------------------------------------- element-wise

    /** {@code out[i] = op(x[i], param)} for {@code length} contiguous elements; {@code out} may alias {@code x}. */
    void unary(UnaryOp op, double param, Span x, Span out, int length);

    /**
     * {@code out[i, j] = op(a(i, j), b(i, j))} over a {@code rows x cols} grid written densely to
     * {@code out}; the operands' strides express broadcasting. {@code out} may alias a dense operand.
     */
    void binary(BinaryOp op, int rows, int cols, Operand a, Operand b, Span out);

    /**
     * Reduces the middle axis of {@code x} viewed as {@code [outer, length, inner]}:
     * {@code out[o * inner + i] = op_j x[(o * length + j) * inner + i]}.
     */
    void reduce(ReduceOp op, Span x, int outer, int length, int inner, Span out);

    // ---------------------------------------------------------------- randomness

    /**
     * Fills {@code length} elements from the counter-based Philox-4x32-10 stream selected by
     * {@code (seed, stream)}; element {@code i} depends only on the seed, the stream and
     * {@code i}, with the mapping fixed by {@link Philox}, so every backend produces the same values.
     */
    void random(Distribution distribution, double a, double b, long seed, long stream, Span out, int length);

    // ================================================================ derived tier: defaults composed in DerivedOps

    // ---------------------------------------------------------------- activations

    /** {@code y = act(x)} for {@code length} elements; {@code y} may alias {@code x}. */
    default void activation(Activation act, double alpha, Span x, Span y, int length) {
        DerivedOps.activation(this, act, alpha, x, y, length);
    }

    /**
     * {@code dx = dy * act'(x)}, given both the input {@code x} and the output {@code y} of the
     * forward pass (sigmoid and tanh use {@code y}, the ReLUs use {@code x}). {@code dx} may alias {@code dy}.
     */
    default void activationBackward(Activation act, double alpha, Span x, Span y, Span dy, Span dx, int length) {
        DerivedOps.activationBackward(this, act, alpha, x, y, dy, dx, length);
    }

    /**
     * {@code y[r, c] = act(x[r, c] + bias[c])} over a row-major {@code rows x cols} matrix: a dense
     * layer's bias and activation in one pass over its output instead of two. {@code y} may alias
     * {@code x}. The gradient is {@link #activationBackward} with {@code y} as both input and output
     * (the ReLUs' {@code x + bias > 0} exactly where {@code y > 0}, for slopes >= 0).
     */
    default void biasActivation(Activation act, double alpha, Span x, Span bias, Span y, int rows, int cols) {
        DerivedOps.biasActivation(this, act, alpha, x, bias, y, rows, cols);
    }

    /**
     * Row-wise softmax (or log-softmax) of a {@code rows x cols} matrix, stable for logits of any
     * magnitude (the row maximum is subtracted first). {@code y} may alias {@code x}.
     */
    default void softmax(boolean log, Span x, Span y, int rows, int cols) {
        DerivedOps.softmax(this, log, x, y, rows, cols);
    }

    /**
     * Gradient of {@link #softmax}: with forward output {@code y},
     * softmax: {@code dx = y * (dy - sum_j dy*y)}; log-softmax: {@code dx = dy - exp(y) * sum_j dy}.
     * {@code dx} may alias {@code dy}.
     */
    default void softmaxBackward(boolean log, Span y, Span dy, Span dx, int rows, int cols) {
        DerivedOps.softmaxBackward(this, log, y, dy, dx, rows, cols);
    }

    // ---------------------------------------------------------------- batch normalisation

    /**
     * Training-mode batch norm over the rows of {@code x} ({@code rows} examples, {@code cols}
     * features): per feature, batch mean and biased variance, {@code y = gamma * (x - mean) /
     * sqrt(var + eps) + beta}; saves mean and {@code 1/sqrt(var + eps)} for the backward pass and
     * updates {@code running = momentum * running + (1 - momentum) * batch} (the Keras convention,
     * biased variance).
     */
    default void batchNormTraining(int rows, int cols, Span x, Span gamma, Span beta, double eps,
                                   double momentum, Span runningMean, Span runningVar, Span y, Span savedMean,
                                   Span savedInvStd) {
        DerivedOps.batchNormTraining(this, rows, cols, x, gamma, beta, eps, momentum, runningMean, runningVar, y,
                savedMean, savedInvStd);
    }

    /** Inference-mode batch norm with the running statistics. */
    default void batchNormInference(int rows, int cols, Span x, Span gamma, Span beta,
                                    Span runningMean, Span runningVar, double eps, Span y) {
        DerivedOps.batchNormInference(this, rows, cols, x, gamma, beta, runningMean, runningVar, eps, y);
    }

    /** Gradients of training-mode batch norm with respect to {@code x}, {@code gamma} and {@code beta}. */
    default void batchNormBackward(int rows, int cols, Span x, Span dy, Span gamma, Span savedMean,
                                   Span savedInvStd, Span dx, Span dgamma, Span dbeta) {
        DerivedOps.batchNormBackward(this, rows, cols, x, dy, gamma, savedMean, savedInvStd, dx, dgamma, dbeta);
    }

    // ---------------------------------------------------------------- fused element-wise expressions

    /**
     * Evaluates an element-wise {@link Expression} over a {@code rows x cols} grid: input {@code k} is
     * read through {@code inputs[k]} (broadcast by zero strides) and output {@code k} is written
     * densely to {@code outputs[k]}, each node's value rounded to the dtype as the primitive rounds it
     * (for the correctly rounded ones, +, -, *, /, sqrt, min, max and comparisons, bit for bit; exp,
     * log, tanh and pow may differ from the eager primitive in the last place). An output may be
     * exactly a dense input. The default runs the primitives node by
     * node; a backend overrides it to run the whole expression in one pass over memory.
     */
    default void evaluate(Expression expression, int rows, int cols, Operand[] inputs, Span[] outputs) {
        DerivedOps.evaluate(this, expression, rows, cols, inputs, outputs);
    }

    // ---------------------------------------------------------------- optimiser updates (in place)

    /** {@code p -= lr * g}. */
    default void sgdUpdate(Span param, Span grad, int length, double lr) {
        DerivedOps.sgdUpdate(this, param, grad, length, lr);
    }

    /** {@code v = beta * v + (1 - beta) * g; p -= lr * v}. */
    default void momentumUpdate(Span param, Span grad, Span velocity, int length, double lr, double beta) {
        DerivedOps.momentumUpdate(this, param, grad, velocity, length, lr, beta);
    }

    /** {@code s = beta * s + (1 - beta) * g^2; p -= lr * g / (sqrt(s) + eps)}. */
    default void rmspropUpdate(Span param, Span grad, Span meanSquare, int length, double lr, double beta,
                               double eps) {
        DerivedOps.rmspropUpdate(this, param, grad, meanSquare, length, lr, beta, eps);
    }

    /**
     * Adam with bias correction at {@code step >= 1}: {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
     * p -= lr * (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps) + lr * weightDecay * p} (decoupled weight decay,
     * AdamW, when {@code weightDecay > 0}).
     */
    default void adamUpdate(Span param, Span grad, Span m, Span v, int length, double lr, double beta1, double beta2,
                            double eps, int step, double weightDecay) {
        DerivedOps.adamUpdate(this, param, grad, m, v, length, lr, beta1, beta2, eps, step, weightDecay);
    }

    /**
     * {@link #adamUpdate} on several tensors with one set of hyper-parameters, as if called on each in
     * turn (a traced step's whole update, grouped by the tracer): tensor {@code i} is {@code
     * params[i], grads[i], ms[i], vs[i]} of {@code lengths[i]} elements, and no span of one overlaps
     * a span of another. A backend overrides it to launch once instead of once per tensor.
     */
    default void adamUpdates(Span[] params, Span[] grads, Span[] ms, Span[] vs, int[] lengths, double lr,
                             double beta1, double beta2, double eps, int step, double weightDecay) {
        DerivedOps.adamUpdates(this, params, grads, ms, vs, lengths, lr, beta1, beta2, eps, step, weightDecay);
    }

}
