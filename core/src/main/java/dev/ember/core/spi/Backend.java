package dev.ember.core.spi;

import dev.ember.core.DType;

/**
 * The compute backend SPI: memory, and the kernels every backend must provide in {@link DType#F32}
 * and {@link DType#F64}.
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
 * {@link #SPI_METHODS} counts the methods a new backend implements.
 */
public interface Backend extends AutoCloseable {
    /** Number of abstract methods in this interface: what a new backend has to implement. */
    int SPI_METHODS = 32;

    /** The provider name: {@code cpu}, {@code opencl}, {@code cuda}. */
    String name();

    /** Human-readable description of the device and its configuration. */
    String device();

    // ---------------------------------------------------------------- memory

    /** Allocates a zero-filled buffer of {@code length >= 1} elements. */
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

    // ---------------------------------------------------------------- activations

    /** {@code y = act(x)} for {@code length} elements; {@code y} may alias {@code x}. */
    void activation(Activation act, double alpha, Span x, Span y, int length);

    /**
     * {@code dx = dy * act'(x)}, given both the input {@code x} and the output {@code y} of the
     * forward pass (sigmoid and tanh use {@code y}, the ReLUs use {@code x}). {@code dx} may alias {@code dy}.
     */
    void activationBackward(Activation act, double alpha, Span x, Span y, Span dy, Span dx, int length);

    /**
     * {@code y[r, c] = act(x[r, c] + bias[c])} over a row-major {@code rows x cols} matrix: a dense
     * layer's bias and activation in one pass over its output instead of two. {@code y} may alias
     * {@code x}. The gradient is {@link #activationBackward} with {@code y} as both input and output
     * (the ReLUs' {@code x + bias > 0} exactly where {@code y > 0}, for slopes >= 0).
     */
    void biasActivation(Activation act, double alpha, Span x, Span bias, Span y, int rows, int cols);

    /**
     * Row-wise softmax (or log-softmax) of a {@code rows x cols} matrix, stable for logits of any
     * magnitude (the row maximum is subtracted first). {@code y} may alias {@code x}.
     */
    void softmax(boolean log, Span x, Span y, int rows, int cols);

    /**
     * Gradient of {@link #softmax}: with forward output {@code y},
     * softmax: {@code dx = y * (dy - sum_j dy*y)}; log-softmax: {@code dx = dy - exp(y) * sum_j dy}.
     * {@code dx} may alias {@code dy}.
     */
    void softmaxBackward(boolean log, Span y, Span dy, Span dx, int rows, int cols);

    // ---------------------------------------------------------------- batch normalisation

    /**
     * Training-mode batch norm over the rows of {@code x} ({@code rows} examples, {@code cols}
     * features): per feature, batch mean and biased variance, {@code y = gamma * (x - mean) /
     * sqrt(var + eps) + beta}; saves mean and {@code 1/sqrt(var + eps)} for the backward pass and
     * updates {@code running = momentum * running + (1 - momentum) * batch} (the Keras convention,
     * biased variance).
     */
    void batchNormTraining(int rows, int cols, Span x, Span gamma, Span beta, double eps, double momentum,
                           Span runningMean, Span runningVar, Span y, Span savedMean, Span savedInvStd);

    /** Inference-mode batch norm with the running statistics. */
    void batchNormInference(int rows, int cols, Span x, Span gamma, Span beta,
                            Span runningMean, Span runningVar, double eps, Span y);

    /** Gradients of training-mode batch norm with respect to {@code x}, {@code gamma} and {@code beta}. */
    void batchNormBackward(int rows, int cols, Span x, Span dy, Span gamma, Span savedMean, Span savedInvStd,
                           Span dx, Span dgamma, Span dbeta);

    // ---------------------------------------------------------------- randomness

    /**
     * Fills {@code length} elements from the counter-based Philox-4x32-10 stream selected by
     * {@code (seed, stream)}; element {@code i} depends only on the seed, the stream and
     * {@code i}, with the mapping fixed by {@link Philox}, so every backend produces the same values.
     */
    void random(Distribution distribution, double a, double b, long seed, long stream, Span out, int length);

    // ---------------------------------------------------------------- optimiser updates (in place)

    /** {@code p -= lr * g}. */
    void sgdUpdate(Span param, Span grad, int length, double lr);

    /** {@code v = beta * v + (1 - beta) * g; p -= lr * v}. */
    void momentumUpdate(Span param, Span grad, Span velocity, int length, double lr, double beta);

    /** {@code s = beta * s + (1 - beta) * g^2; p -= lr * g / (sqrt(s) + eps)}. */
    void rmspropUpdate(Span param, Span grad, Span meanSquare, int length, double lr, double beta, double eps);

    /**
     * Adam with bias correction at {@code step >= 1}: {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
     * p -= lr * (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps) + lr * weightDecay * p} (decoupled weight decay,
     * AdamW, when {@code weightDecay > 0}).
     */
    void adamUpdate(Span param, Span grad, Span m, Span v, int length, double lr, double beta1, double beta2,
                    double eps, int step, double weightDecay);

    /** Releases the backend's own resources (queues, contexts, pools). Buffers are freed by their owners. */
    @Override
    void close();
}
