package dev.ember.cpu;

import dev.ember.core.spi.Activation;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.Expression;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.ReduceOp;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.UnaryOp;

/**
 * The kernels of one dtype behind {@link CpuBackend}'s single-dtype operations, with the
 * {@link dev.ember.core.spi.Backend} method of the same name and arguments: each unwraps its spans
 * to arrays of the dtype and calls that dtype's kernel family. {@link FloatKernels} and
 * {@link DoubleKernels} are generated from one template ({@code src/main/templates}); the backend
 * picks one per call from the buffers' dtype instead of branching in every method.
 */
sealed interface DTypeKernels permits FloatKernels, DoubleKernels {
    /** The span's buffer as an array of this dtype, checked to belong to the backend and to hold this dtype. */
    Object array(Span s);

    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Span a, int lda, Span b, int ldb,
              double beta, Span c, int ldc);

    void fill(Span dst, int length, double value);

    void copy(Span src, Span dst, int length);

    void copyStrided(Span src, int[] shape, int[] srcStrides, Span dst);

    void unary(UnaryOp op, double param, Span x, Span out, int length);

    void binary(BinaryOp op, int rows, int cols, Operand a, Operand b, Span out);

    void reduce(ReduceOp op, Span x, int outer, int length, int inner, Span out);

    void activation(Activation act, double alpha, Span x, Span y, int length);

    void activationBackward(Activation act, double alpha, Span x, Span y, Span dy, Span dx, int length);

    void biasActivation(Activation act, double alpha, Span x, Span bias, Span y, int rows, int cols);

    void softmax(boolean log, Span x, Span y, int rows, int cols);

    void softmaxBackward(boolean log, Span y, Span dy, Span dx, int rows, int cols);

    void batchNormTraining(int rows, int cols, Span x, Span gamma, Span beta, double eps, double momentum,
                           Span runningMean, Span runningVar, Span y, Span savedMean, Span savedInvStd);

    void batchNormInference(int rows, int cols, Span x, Span gamma, Span beta, Span runningMean, Span runningVar,
                            double eps, Span y);

    void batchNormBackward(int rows, int cols, Span x, Span dy, Span gamma, Span savedMean, Span savedInvStd,
                           Span dx, Span dgamma, Span dbeta);

    void random(Distribution distribution, double a, double b, long seed, long stream, Span out, int length);

    void sgdUpdate(Span param, Span grad, int length, double lr);

    void momentumUpdate(Span param, Span grad, Span velocity, int length, double lr, double beta);

    void rmspropUpdate(Span param, Span grad, Span meanSquare, int length, double lr, double beta, double eps);

    void adamUpdate(Span param, Span grad, Span m, Span v, int length, double lr, double beta1, double beta2,
                    double eps, int step, double weightDecay);

    void evaluate(Expression expression, int rows, int cols, Operand[] inputs, Span[] outputs);
}
