package dev.ember.gpu;

import dev.ember.core.DType;
import dev.ember.core.spi.Activation;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.Expression;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.ReduceOp;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.UnaryOp;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The operations both GPU backends run as the shared dialect kernels ({@link KernelSources#COMMON}):
 * argument checks, launch sizes and kernel arguments, written once, and GEMM's argument checks. A
 * backend supplies its memory, transfers, GEMM kernels ({@link #checkedGemm}) and lifecycle, and the three ways to start a launch ({@link #launch},
 * {@link #castLaunch}, {@link #expressionLaunch}); the same Java call then runs the same kernel text on
 * OpenCL and on CUDA.
 *
 * @param <B> the backend's own buffer type
 */
public abstract class DialectBackend<B extends DeviceBuffer> implements Backend {
    /** Ownership and dtype checks on every span an operation receives. */
    protected final SpanChecks<B> checks;
    /** Launch sizes for this backend's device. */
    protected final LaunchGrid grid;

    /**
     * @param bufferType the backend's buffer class (a span of another class is rejected)
     * @param released   whether one of its buffers was freed already
     * @param grid       launch sizes for the device
     */
    @SuppressWarnings("this-escape")   // the checks keep this backend only to compare owners, after construction
    protected DialectBackend(Class<B> bufferType, Predicate<B> released, LaunchGrid grid) {
        this.checks = new SpanChecks<>(this, bufferType, released);
        this.grid = grid;
    }

    /**
     * {@code C = alpha op(A) op(B) + beta C} on arguments already checked ({@link #gemm}): the same
     * dtype throughout, every matrix inside its buffer, and {@code m, n >= 1}. Each backend has its
     * own GEMM kernels; the checks are the same for all.
     */
    protected abstract void checkedGemm(DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha,
                                        Span a, int lda, Span b, int ldb, double beta, Span c, int ldc);

    /** Starts the arguments of one launch of {@code kernel} from the shared program for {@code dtype}. */
    protected abstract KernelArgs launch(DType dtype, String kernel);

    /** Starts a launch of one of the F32/F64 conversion kernels ({@code cast.cl}). */
    protected abstract KernelArgs castLaunch(String kernel);

    /** Starts a launch of {@code expression} rendered as one kernel ({@link ExpressionSource}), built on first use. */
    protected abstract KernelArgs expressionLaunch(Expression expression, DType dtype);

    private KernelArgs kernel(Span s, String name) {
        return launch(s.buffer().dtype(), name);
    }

    private KernelArgs kernel(DType dtype, String name) {
        return launch(dtype, name);
    }

    @Override
    public final void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Span a, int lda,
                           Span b, int ldb, double beta, Span c, int ldc) {
        DType dtype = checks.sameDtype("gemm", a, b, c);
        Extents.check("gemm", "A", a, transA ? Extents.matrix(k, m, lda) : Extents.matrix(m, k, lda));
        Extents.check("gemm", "B", b, transB ? Extents.matrix(n, k, ldb) : Extents.matrix(k, n, ldb));
        Extents.check("gemm", "C", c, Extents.matrix(m, n, ldc));
        if (m == 0 || n == 0) {
            return;
        }
        checkedGemm(dtype, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    public void fill(Span dst, int length, double value) {
        checks.buffer(dst, null, "fill");
        Extents.check("fill", "destination", dst, length);
        kernel(dst, "ember_fill").span(dst).i(length).real(value).run(grid.linear(length), grid.local());
    }

    @Override
    public void copyStrided(Span src, int[] shape, int[] srcStrides, Span dst) {
        DType dtype = checks.sameDtype("copyStrided", src, dst);
        if (shape.length != srcStrides.length) {
            throw new IllegalArgumentException("copyStrided: shape " + Arrays.toString(shape) + " and strides "
                    + Arrays.toString(srcStrides) + " differ in rank");
        }
        long total = 1;
        for (int d : shape) {
            total *= d;
        }
        if (total == 0) {
            return;
        }
        Extents.checkStrided("copyStrided", "source", src, shape, srcStrides);
        Extents.check("copyStrided", "destination", dst, total);
        StridedCopy.run(() -> kernel(dtype, "ember_copy_strided"), grid, src.buffer(), src.offset(), shape, srcStrides,
                dst.buffer(), dst.offset());
    }

    @Override
    public void cast(Span src, Span dst, int length) {
        B s = checks.buffer(src, null, "cast");
        B d = checks.buffer(dst, null, "cast");
        Extents.check("cast", "source", src, length);
        Extents.check("cast", "destination", dst, length);
        if (s.dtype() == d.dtype()) {
            kernel(dst, "ember_copy").span(src).span(dst).i(length).run(grid.linear(length), grid.local());
            return;
        }
        String kernel = s.dtype() == DType.F32 ? "ember_cast_f32_to_f64" : "ember_cast_f64_to_f32";
        castLaunch(kernel).span(src).span(dst).i(length).run(grid.linear(length), grid.local());
    }

    @Override
    public void unary(UnaryOp op, double param, Span x, Span out, int length) {
        checks.sameDtype("unary", x, out);
        Extents.check("unary", "x", x, length);
        Extents.check("unary", "out", out, length);
        kernel(x, "ember_unary").i(OpCodes.code(op)).real(param).span(x).span(out).i(length)
                .run(grid.linear(length), grid.local());
    }

    @Override
    public void binary(BinaryOp op, int rows, int cols, Operand a, Operand b, Span out) {
        checks.sameDtype("binary", a.span(), b.span(), out);
        Extents.checkStrided("binary", "a", a.span(), new int[] {rows, cols}, new int[] {a.rowStride(), a.colStride()});
        Extents.checkStrided("binary", "b", b.span(), new int[] {rows, cols}, new int[] {b.rowStride(), b.colStride()});
        long n = (long) rows * cols;
        Extents.check("binary", "out", out, n);
        kernel(out, "ember_binary").i(OpCodes.code(op)).i(rows).i(cols)
                .span(a.span()).i(a.rowStride()).i(a.colStride())
                .span(b.span()).i(b.rowStride()).i(b.colStride())
                .span(out).run(grid.linear(Math.toIntExact(n)), grid.local());
    }

    /** The whole expression as one generated kernel: one launch and one pass over memory. */
    @Override
    public void evaluate(Expression expression, int rows, int cols, Operand[] inputs, Span[] outputs) {
        long n = (long) rows * cols;
        DType dtype = outputs[0].buffer().dtype();
        for (int k = 0; k < inputs.length; k++) {   // checked before a program is built for the expression
            Operand in = inputs[k];
            checks.sameDtype("evaluate", in.span(), outputs[0]);
            Extents.checkStrided("evaluate", "input " + k, in.span(), new int[] {rows, cols},
                    new int[] {in.rowStride(), in.colStride()});
        }
        for (int k = 0; k < outputs.length; k++) {
            checks.sameDtype("evaluate", outputs[k], outputs[0]);
            Extents.check("evaluate", "output " + k, outputs[k], n);
        }
        KernelArgs launch = expressionLaunch(expression, dtype)
                .i(rows).i(cols);
        for (Operand in : inputs) {
            launch.span(in.span()).i(in.rowStride()).i(in.colStride());
        }
        for (Span out : outputs) {
            launch.span(out);
        }
        for (int node = 0; node < expression.size(); node++) {
            if (ExpressionSource.hasValue(expression, node)) {
                launch.real(expression.value(node));
            }
        }
        launch.run(grid.linear(Math.toIntExact(n)), grid.local());
    }

    @Override
    public void reduce(ReduceOp op, Span x, int outer, int length, int inner, Span out) {
        checks.sameDtype("reduce", x, out);
        long outputs = (long) outer * inner;
        Extents.check("reduce", "x", x, outputs * length);
        Extents.check("reduce", "out", out, outputs);
                // a work-group per output for few long rows; a work-item per output otherwise
        if (length >= 64 && outputs < 4096) {
            int g = grid.groupFor(length);
            kernel(x, "ember_reduce_group").i(OpCodes.code(op)).span(x).i(outer).i(length).i(inner).span(out)
                    .run(new long[] {outputs * g}, new long[] {g});
        } else {
            kernel(x, "ember_reduce_serial").i(OpCodes.code(op)).span(x).i(outer).i(length).i(inner).span(out)
                    .run(grid.linear(Math.toIntExact(outputs)), grid.local());
        }
    }

    @Override
    public void activation(Activation act, double alpha, Span x, Span y, int length) {
        checks.sameDtype("activation", x, y);
        Extents.check("activation", "x", x, length);
        Extents.check("activation", "y", y, length);
        kernel(x, "ember_activation").i(OpCodes.code(act)).real(alpha).span(x).span(y).i(length)
                .run(grid.linear(length), grid.local());
    }

    @Override
    public void activationBackward(Activation act, double alpha, Span x, Span y, Span dy, Span dx, int length) {
        checks.sameDtype("activationBackward", x, y, dy, dx);
        for (Span s : new Span[] {x, y, dy, dx}) {
            Extents.check("activationBackward", "operand", s, length);
        }
        kernel(x, "ember_activation_backward").i(OpCodes.code(act)).real(alpha)
                .span(x).span(y).span(dy).span(dx).i(length).run(grid.linear(length), grid.local());
    }

    @Override
    public void biasActivation(Activation act, double alpha, Span x, Span bias, Span y, int rows, int cols) {
        checks.sameDtype("biasActivation", x, bias, y);
        Extents.check("biasActivation", "x", x, (long) rows * cols);
        Extents.check("biasActivation", "bias", bias, cols);
        Extents.check("biasActivation", "y", y, (long) rows * cols);
        int n = rows * cols;
        if (n == 0) {
            return;
        }
        kernel(x, "ember_bias_activation").i(OpCodes.code(act)).real(alpha).span(x).span(bias)
                .span(y).i(n).i(cols).run(grid.linear(n), grid.local());
    }

    @Override
    public void softmax(boolean log, Span x, Span y, int rows, int cols) {
        checks.sameDtype("softmax", x, y);
        Extents.check("softmax", "x", x, (long) rows * cols);
        Extents.check("softmax", "y", y, (long) rows * cols);
        if (cols == 0) {
            return;
        }
        int g = grid.groupFor(cols);
        kernel(x, "ember_softmax").i(log ? 1 : 0).span(x).span(y).i(cols)
                .run(new long[] {(long) rows * g}, new long[] {g});
    }

    @Override
    public void softmaxBackward(boolean log, Span y, Span dy, Span dx, int rows, int cols) {
        checks.sameDtype("softmaxBackward", y, dy, dx);
        for (Span s : new Span[] {y, dy, dx}) {
            Extents.check("softmaxBackward", "operand", s, (long) rows * cols);
        }
        if (cols == 0) {
            return;
        }
        int g = grid.groupFor(cols);
        kernel(y, "ember_softmax_backward").i(log ? 1 : 0).span(y).span(dy).span(dx).i(cols)
                .run(new long[] {(long) rows * g}, new long[] {g});
    }

    @Override
    public void batchNormTraining(int rows, int cols, Span x, Span gamma, Span beta, double eps, double momentum,
                                  Span runningMean, Span runningVar, Span y, Span savedMean, Span savedInvStd) {
        String op = "batchNormTraining";
        checks.sameDtype(op, x, gamma, beta, runningMean, runningVar, y, savedMean, savedInvStd);
        Extents.check(op, "x", x, (long) rows * cols);
        Extents.check(op, "y", y, (long) rows * cols);
        for (Span s : new Span[] {gamma, beta, runningMean, runningVar, savedMean, savedInvStd}) {
            Extents.check(op, "per-feature operand", s, cols);
        }
        if (rows == 0) {
            return;
        }
        int g = grid.groupFor(rows);
        kernel(x, "ember_batchnorm_training").i(rows).i(cols).span(x).span(gamma).span(beta)
                .real(eps).real(momentum).span(runningMean).span(runningVar).span(y).span(savedMean)
                .span(savedInvStd).run(new long[] {(long) cols * g}, new long[] {g});
    }

    @Override
    public void batchNormInference(int rows, int cols, Span x, Span gamma, Span beta, Span runningMean,
                                   Span runningVar, double eps, Span y) {
        String op = "batchNormInference";
        checks.sameDtype(op, x, gamma, beta, runningMean, runningVar, y);
        Extents.check(op, "x", x, (long) rows * cols);
        Extents.check(op, "y", y, (long) rows * cols);
        for (Span s : new Span[] {gamma, beta, runningMean, runningVar}) {
            Extents.check(op, "per-feature operand", s, cols);
        }
        int n = Math.toIntExact((long) rows * cols);
        kernel(x, "ember_batchnorm_inference").i(rows).i(cols).span(x).span(gamma).span(beta)
                .span(runningMean).span(runningVar).real(eps).span(y).run(grid.linear(n), grid.local());
    }

    @Override
    public void batchNormBackward(int rows, int cols, Span x, Span dy, Span gamma, Span savedMean,
                                  Span savedInvStd, Span dx, Span dgamma, Span dbeta) {
        String op = "batchNormBackward";
        checks.sameDtype(op, x, dy, gamma, savedMean, savedInvStd, dx, dgamma, dbeta);
        for (Span s : new Span[] {x, dy, dx}) {
            Extents.check(op, "matrix operand", s, (long) rows * cols);
        }
        for (Span s : new Span[] {gamma, savedMean, savedInvStd, dgamma, dbeta}) {
            Extents.check(op, "per-feature operand", s, cols);
        }
        if (rows == 0) {
            return;
        }
        int g = grid.groupFor(rows);
        kernel(x, "ember_batchnorm_backward").i(rows).i(cols).span(x).span(dy).span(gamma)
                .span(savedMean).span(savedInvStd).span(dx).span(dgamma).span(dbeta)
                .run(new long[] {(long) cols * g}, new long[] {g});
    }

    @Override
    public void random(Distribution distribution, double a, double b, long seed, long stream, Span out, int length) {
        checks.buffer(out, null, "random");
        Extents.check("random", "out", out, length);
        // Bernoulli keeps element i when u_i < a; with u = q / 2^24 for an odd integer q that is
        // exactly q < ceil(a * 2^24), so the mask is bit-identical in F32, F64 and on the CPU.
        long keepBelow = (long) Math.ceil(Math.min(Math.max(a, 0.0), 1.0) * (1 << 24));
        int blocks = (int) ((length + 3L) / 4);
        kernel(out, "ember_random").i(OpCodes.code(distribution)).real(a).real(b).i((int) keepBelow)
                .i((int) seed).i((int) (seed >>> 32)).i((int) stream).i((int) (stream >>> 32))
                .span(out).i(length).run(grid.linear(blocks), grid.local());
    }

    @Override
    public void sgdUpdate(Span param, Span grad, int length, double lr) {
        checks.vectors("sgdUpdate", length, param, grad);
        kernel(param, "ember_sgd").span(param).span(grad).i(length).real(lr)
                .run(grid.linear(length), grid.local());
    }

    @Override
    public void momentumUpdate(Span param, Span grad, Span velocity, int length, double lr, double beta) {
        checks.vectors("momentumUpdate", length, param, grad, velocity);
        kernel(param, "ember_momentum").span(param).span(grad).span(velocity).i(length).real(lr)
                .real(beta).run(grid.linear(length), grid.local());
    }

    @Override
    public void rmspropUpdate(Span param, Span grad, Span meanSquare, int length, double lr, double beta,
                              double eps) {
        checks.vectors("rmspropUpdate", length, param, grad, meanSquare);
        kernel(param, "ember_rmsprop").span(param).span(grad).span(meanSquare).i(length).real(lr)
                .real(beta).real(eps).run(grid.linear(length), grid.local());
    }

    @Override
    public void adamUpdate(Span param, Span grad, Span m, Span v, int length, double lr, double beta1,
                           double beta2, double eps, int step, double weightDecay) {
        checks.vectors("adamUpdate", length, param, grad, m, v);
        adamSettings(kernel(param, "ember_adam").span(param).span(grad).span(m).span(v).i(length),
                lr, beta1, beta2, eps, step, weightDecay).run(grid.linear(length), grid.local());
    }

    /** The hyper-parameters both Adam kernels end with, the bias corrections computed here. */
    private static KernelArgs adamSettings(KernelArgs args, double lr, double beta1, double beta2,
                                                double eps, int step, double weightDecay) {
        // bias corrections in double on the host: 1 - beta^t loses digits in F32 for beta2 = 0.999
        return args.real(lr).real(beta1).real(beta2).real(eps).real(1 - Math.pow(beta1, step))
                .real(1 - Math.pow(beta2, step)).real(weightDecay);
    }

    /** Up to four tensors per launch ({@code ember_adam4}); an unused slot repeats tensor 0's spans with no elements. */
    @Override
    public void adamUpdates(Span[] params, Span[] grads, Span[] ms, Span[] vs, int[] lengths, double lr,
                            double beta1, double beta2, double eps, int step, double weightDecay) {
        for (int i = 0; i < params.length; i++) {
            checks.vectors("adamUpdates", lengths[i], params[i], grads[i], ms[i], vs[i]);
        }
        for (int first = 0; first < params.length; first += 4) {
            KernelArgs args = kernel(params[first], "ember_adam4");
            int total = 0;
            for (int slot = 0; slot < 4; slot++) {
                int i = first + slot < params.length ? first + slot : first;
                int n = first + slot < params.length ? lengths[i] : 0;
                args.span(params[i]).span(grads[i]).span(ms[i]).span(vs[i]).i(n);
                total += n;
            }
            adamSettings(args, lr, beta1, beta2, eps, step, weightDecay).run(grid.linear(total), grid.local());
        }
    }
}
