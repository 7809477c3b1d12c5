package dev.ember.core.trace;

import dev.ember.core.LiveScalar;
import dev.ember.core.spi.Activation;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.Expression;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.ReduceOp;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.UnaryOp;

import java.util.List;

import static dev.ember.core.trace.Call.Access.READ;
import static dev.ember.core.trace.Call.Access.UPDATE;
import static dev.ember.core.trace.Call.Access.WRITE;

/**
 * The recordable backend calls, one class per SPI method that computes (allocation, reads and
 * synchronisation are not recorded). Each keeps its arguments as the backend takes them, so a
 * replay issues exactly the call that was recorded.
 */
public final class Calls {
    private Calls() {
    }

    private static Span[] spans(Span... s) {
        return s;
    }

    private static Call.Access[] access(Call.Access... a) {
        return a;
    }

    private static int[] extents(int... e) {
        return e;
    }

    /** Elements an operand touches on a {@code rows x cols} grid. */
    static int extent(Operand o, int rows, int cols) {
        return rows == 0 || cols == 0 ? 0 : 1 + (rows - 1) * o.rowStride() + (cols - 1) * o.colStride();
    }

    // ---------------------------------------------------------------- data movement

    public static final class Fill extends Call {
        private final int length;
        private final double value;

        public Fill(Span dst, int length, double value) {
            super("fill", spans(dst), access(WRITE), extents(length));
            this.length = length;
            this.value = value;
        }

        @Override
        public void run(Backend b) {
            b.fill(spans[0], length, value);
        }

        @Override
        Call on(Span[] s) {
            return new Fill(s[0], length, value);
        }
    }

    /** A host-to-device copy of data captured when it was recorded (a constant of the traced function). */
    public static final class Write extends Call {
        private final float[] floats;
        private final double[] doubles;

        public Write(Span dst, float[] src, int offset, int length) {
            this(dst, java.util.Arrays.copyOfRange(src, offset, offset + length), null);
        }

        public Write(Span dst, double[] src, int offset, int length) {
            this(dst, null, java.util.Arrays.copyOfRange(src, offset, offset + length));
        }

        private Write(Span dst, float[] floats, double[] doubles) {
            super("write", spans(dst), access(WRITE), extents(floats != null ? floats.length : doubles.length));
            this.floats = floats;
            this.doubles = doubles;
        }

        @Override
        public void run(Backend b) {
            if (floats != null) {
                b.write(spans[0], floats, 0, floats.length);
            } else {
                b.write(spans[0], doubles, 0, doubles.length);
            }
        }

        @Override
        Call on(Span[] s) {
            return new Write(s[0], floats, doubles);
        }
    }

    public static final class CopyStrided extends Call {
        private final int[] shape;
        private final int[] strides;

        public CopyStrided(Span src, int[] shape, int[] strides, Span dst) {
            super("copyStrided", spans(src, dst), access(READ, WRITE), extents(reach(shape, strides), count(shape)));
            this.shape = shape.clone();
            this.strides = strides.clone();
        }

        private static int reach(int[] shape, int[] strides) {
            int last = 0;
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] == 0) {
                    return 0;
                }
                last += (shape[i] - 1) * Math.abs(strides[i]);
            }
            return last + 1;
        }

        private static int count(int[] shape) {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        @Override
        public void run(Backend b) {
            b.copyStrided(spans[0], shape, strides, spans[1]);
        }

        @Override
        Call on(Span[] s) {
            return new CopyStrided(s[0], shape, strides, s[1]);
        }
    }

    public static final class Cast extends Call {
        private final int length;

        public Cast(Span src, Span dst, int length) {
            super("cast", spans(src, dst), access(READ, WRITE), extents(length, length));
            this.length = length;
        }

        @Override
        public void run(Backend b) {
            b.cast(spans[0], spans[1], length);
        }

        @Override
        Call on(Span[] s) {
            return new Cast(s[0], s[1], length);
        }
    }

    // ---------------------------------------------------------------- linear algebra

    public static final class Gemm extends Call {
        private final boolean transA;
        private final boolean transB;
        private final int m;
        private final int n;
        private final int k;
        private final double alpha;
        private final int lda;
        private final int ldb;
        private final double beta;
        private final int ldc;

        public Gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Span a, int lda, Span b,
                    int ldb, double beta, Span c, int ldc) {
            super("gemm", spans(a, b, c), access(READ, READ, beta == 0 && ldc == n ? WRITE : UPDATE),
                    extents(matrix(transA ? k : m, transA ? m : k, lda), matrix(transB ? n : k, transB ? k : n, ldb),
                            matrix(m, n, ldc)));
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.lda = lda;
            this.ldb = ldb;
            this.beta = beta;
            this.ldc = ldc;
        }

        private static int matrix(int rows, int cols, int ld) {
            return rows == 0 || cols == 0 ? 0 : (rows - 1) * ld + cols;
        }

        @Override
        public void run(Backend b) {
            b.gemm(transA, transB, m, n, k, alpha, spans[0], lda, spans[1], ldb, beta, spans[2], ldc);
        }

        @Override
        Call on(Span[] s) {
            return new Gemm(transA, transB, m, n, k, alpha, s[0], lda, s[1], ldb, beta, s[2], ldc);
        }
    }

    // ---------------------------------------------------------------- element-wise and reductions

    public static final class Unary extends Call {
        final UnaryOp op;
        final double param;
        final int length;

        public Unary(UnaryOp op, double param, Span x, Span out, int length) {
            super("unary " + op, spans(x, out), access(READ, WRITE), extents(length, length));
            this.op = op;
            this.param = param;
            this.length = length;
        }

        @Override
        public void run(Backend b) {
            b.unary(op, param, spans[0], spans[1], length);
        }

        @Override
        Call on(Span[] s) {
            return new Unary(op, param, s[0], s[1], length);
        }
    }

    public static final class Binary extends Call {
        final BinaryOp op;
        final int rows;
        final int cols;
        final Operand a;
        final Operand b;

        public Binary(BinaryOp op, int rows, int cols, Operand a, Operand b, Span out) {
            super("binary " + op, spans(a.span(), b.span(), out), access(READ, READ, WRITE),
                    extents(extent(a, rows, cols), extent(b, rows, cols), rows * cols));
            this.op = op;
            this.rows = rows;
            this.cols = cols;
            this.a = a;
            this.b = b;
        }

        @Override
        public void run(Backend backend) {
            backend.binary(op, rows, cols, a, b, spans[2]);
        }

        @Override
        Call on(Span[] s) {
            return new Binary(op, rows, cols, new Operand(s[0], a.rowStride(), a.colStride()),
                    new Operand(s[1], b.rowStride(), b.colStride()), s[2]);
        }
    }

    public static final class Reduce extends Call {
        private final ReduceOp op;
        private final int outer;
        private final int length;
        private final int inner;

        public Reduce(ReduceOp op, Span x, int outer, int length, int inner, Span out) {
            super("reduce " + op, spans(x, out), access(READ, WRITE), extents(outer * length * inner, outer * inner));
            this.op = op;
            this.outer = outer;
            this.length = length;
            this.inner = inner;
        }

        @Override
        public void run(Backend b) {
            b.reduce(op, spans[0], outer, length, inner, spans[1]);
        }

        @Override
        Call on(Span[] s) {
            return new Reduce(op, s[0], outer, length, inner, s[1]);
        }
    }

    /** Philox numbers; the stream is live, so a dropout layer draws a new mask at every replay. */
    public static final class Random extends Call {
        private final Distribution distribution;
        private final double a;
        private final double b;
        private final long seed;
        private final LiveScalar stream;
        private final int length;

        public Random(Distribution distribution, double a, double b, long seed, LiveScalar stream, Span out,
                      int length) {
            super("random " + distribution, spans(out), access(WRITE), extents(length));
            this.distribution = distribution;
            this.a = a;
            this.b = b;
            this.seed = seed;
            this.stream = stream;
            this.length = length;
        }

        @Override
        public void run(Backend backend) {
            backend.random(distribution, a, b, seed, stream.longValue(), spans[0], length);
        }

        @Override
        Call on(Span[] s) {
            return new Random(distribution, a, b, seed, stream, s[0], length);
        }
    }

    // ---------------------------------------------------------------- activations and softmax

    public static final class ActivationForward extends Call {
        private final Activation act;
        private final double alpha;
        private final int length;

        /**
         * The ReLU as the unary primitive it equals bit for bit, {@code max(x, 0)} (NaN kept, −0 made
         * +0, as the SPI defines both), so element-wise fusion can take it in; null for the others.
         */
        Unary asUnary() {
            return act == Activation.RELU ? new Unary(UnaryOp.MAX_SCALAR, 0, spans[0], spans[1], length) : null;
        }

        public ActivationForward(Activation act, double alpha, Span x, Span y, int length) {
            super("activation " + act, spans(x, y), access(READ, WRITE), extents(length, length));
            this.act = act;
            this.alpha = alpha;
            this.length = length;
        }

        @Override
        public void run(Backend b) {
            b.activation(act, alpha, spans[0], spans[1], length);
        }

        @Override
        Call on(Span[] s) {
            return new ActivationForward(act, alpha, s[0], s[1], length);
        }
    }

    public static final class ActivationBackward extends Call {
        private final Activation act;
        private final double alpha;
        private final int length;

        public ActivationBackward(Activation act, double alpha, Span x, Span y, Span dy, Span dx, int length) {
            super("activationBackward " + act, spans(x, y, dy, dx), access(READ, READ, READ, WRITE),
                    extents(length, length, length, length));
            this.act = act;
            this.alpha = alpha;
            this.length = length;
        }

        @Override
        public void run(Backend b) {
            b.activationBackward(act, alpha, spans[0], spans[1], spans[2], spans[3], length);
        }

        @Override
        Call on(Span[] s) {
            return new ActivationBackward(act, alpha, s[0], s[1], s[2], s[3], length);
        }
    }

    public static final class BiasActivation extends Call {
        private final Activation act;
        private final double alpha;
        private final int rows;
        private final int cols;

        public BiasActivation(Activation act, double alpha, Span x, Span bias, Span y, int rows, int cols) {
            super("biasActivation " + act, spans(x, bias, y), access(READ, READ, WRITE),
                    extents(rows * cols, cols, rows * cols));
            this.act = act;
            this.alpha = alpha;
            this.rows = rows;
            this.cols = cols;
        }

        @Override
        public void run(Backend b) {
            b.biasActivation(act, alpha, spans[0], spans[1], spans[2], rows, cols);
        }

        @Override
        Call on(Span[] s) {
            return new BiasActivation(act, alpha, s[0], s[1], s[2], rows, cols);
        }
    }

    public static final class Softmax extends Call {
        private final boolean log;
        private final int rows;
        private final int cols;

        public Softmax(boolean log, Span x, Span y, int rows, int cols) {
            super(log ? "logSoftmax" : "softmax", spans(x, y), access(READ, WRITE), extents(rows * cols, rows * cols));
            this.log = log;
            this.rows = rows;
            this.cols = cols;
        }

        @Override
        public void run(Backend b) {
            b.softmax(log, spans[0], spans[1], rows, cols);
        }

        @Override
        Call on(Span[] s) {
            return new Softmax(log, s[0], s[1], rows, cols);
        }
    }

    public static final class SoftmaxBackward extends Call {
        private final boolean log;
        private final int rows;
        private final int cols;

        public SoftmaxBackward(boolean log, Span y, Span dy, Span dx, int rows, int cols) {
            super(log ? "logSoftmaxBackward" : "softmaxBackward", spans(y, dy, dx), access(READ, READ, WRITE),
                    extents(rows * cols, rows * cols, rows * cols));
            this.log = log;
            this.rows = rows;
            this.cols = cols;
        }

        @Override
        public void run(Backend b) {
            b.softmaxBackward(log, spans[0], spans[1], spans[2], rows, cols);
        }

        @Override
        Call on(Span[] s) {
            return new SoftmaxBackward(log, s[0], s[1], s[2], rows, cols);
        }
    }

    // ---------------------------------------------------------------- batch normalisation

    public static final class BatchNormTraining extends Call {
        private final int rows;
        private final int cols;
        private final double eps;
        private final double momentum;

        public BatchNormTraining(int rows, int cols, Span x, Span gamma, Span beta, double eps, double momentum,
                                 Span runningMean, Span runningVar, Span y, Span savedMean, Span savedInvStd) {
            super("batchNormTraining", spans(x, gamma, beta, runningMean, runningVar, y, savedMean, savedInvStd),
                    access(READ, READ, READ, UPDATE, UPDATE, WRITE, WRITE, WRITE),
                    extents(rows * cols, cols, cols, cols, cols, rows * cols, cols, cols));
            this.rows = rows;
            this.cols = cols;
            this.eps = eps;
            this.momentum = momentum;
        }

        @Override
        public void run(Backend b) {
            b.batchNormTraining(rows, cols, spans[0], spans[1], spans[2], eps, momentum, spans[3], spans[4], spans[5],
                    spans[6], spans[7]);
        }

        @Override
        Call on(Span[] s) {
            return new BatchNormTraining(rows, cols, s[0], s[1], s[2], eps, momentum, s[3], s[4], s[5], s[6], s[7]);
        }
    }

    public static final class BatchNormInference extends Call {
        private final int rows;
        private final int cols;
        private final double eps;

        public BatchNormInference(int rows, int cols, Span x, Span gamma, Span beta, Span runningMean,
                                  Span runningVar, double eps, Span y) {
            super("batchNormInference", spans(x, gamma, beta, runningMean, runningVar, y),
                    access(READ, READ, READ, READ, READ, WRITE), extents(rows * cols, cols, cols, cols, cols, rows * cols));
            this.rows = rows;
            this.cols = cols;
            this.eps = eps;
        }

        @Override
        public void run(Backend b) {
            b.batchNormInference(rows, cols, spans[0], spans[1], spans[2], spans[3], spans[4], eps, spans[5]);
        }

        @Override
        Call on(Span[] s) {
            return new BatchNormInference(rows, cols, s[0], s[1], s[2], s[3], s[4], eps, s[5]);
        }
    }

    public static final class BatchNormBackward extends Call {
        private final int rows;
        private final int cols;

        public BatchNormBackward(int rows, int cols, Span x, Span dy, Span gamma, Span savedMean, Span savedInvStd,
                                 Span dx, Span dgamma, Span dbeta) {
            super("batchNormBackward", spans(x, dy, gamma, savedMean, savedInvStd, dx, dgamma, dbeta),
                    access(READ, READ, READ, READ, READ, WRITE, WRITE, WRITE),
                    extents(rows * cols, rows * cols, cols, cols, cols, rows * cols, cols, cols));
            this.rows = rows;
            this.cols = cols;
        }

        @Override
        public void run(Backend b) {
            b.batchNormBackward(rows, cols, spans[0], spans[1], spans[2], spans[3], spans[4], spans[5], spans[6],
                    spans[7]);
        }

        @Override
        Call on(Span[] s) {
            return new BatchNormBackward(rows, cols, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
        }
    }

    // ---------------------------------------------------------------- fused expressions

    public static final class Evaluate extends Call {
        final Expression expression;
        final int rows;
        final int cols;
        final Operand[] inputs;
        final Span[] outputs;

        public Evaluate(Expression expression, int rows, int cols, Operand[] inputs, Span[] outputs) {
            super("evaluate", concat(inputs, outputs), modes(inputs.length, outputs.length),
                    reach(inputs, outputs.length, rows, cols));
            this.expression = expression;
            this.rows = rows;
            this.cols = cols;
            this.inputs = inputs.clone();
            this.outputs = outputs.clone();
        }

        private static Span[] concat(Operand[] inputs, Span[] outputs) {
            Span[] s = new Span[inputs.length + outputs.length];
            for (int i = 0; i < inputs.length; i++) {
                s[i] = inputs[i].span();
            }
            System.arraycopy(outputs, 0, s, inputs.length, outputs.length);
            return s;
        }

        private static Call.Access[] modes(int in, int out) {
            Call.Access[] a = new Call.Access[in + out];
            java.util.Arrays.fill(a, 0, in, READ);
            java.util.Arrays.fill(a, in, in + out, WRITE);
            return a;
        }

        private static int[] reach(Operand[] inputs, int outputs, int rows, int cols) {
            int[] e = new int[inputs.length + outputs];
            for (int i = 0; i < inputs.length; i++) {
                e[i] = extent(inputs[i], rows, cols);
            }
            java.util.Arrays.fill(e, inputs.length, e.length, rows * cols);
            return e;
        }

        @Override
        public void run(Backend b) {
            b.evaluate(expression, rows, cols, inputs, outputs);
        }

        @Override
        Call on(Span[] s) {
            Operand[] in = new Operand[inputs.length];
            for (int i = 0; i < in.length; i++) {
                in[i] = new Operand(s[i], inputs[i].rowStride(), inputs[i].colStride());
            }
            return new Evaluate(expression, rows, cols, in,
                    java.util.Arrays.copyOfRange(s, inputs.length, s.length));
        }
    }

    // ---------------------------------------------------------------- optimiser updates (live rate and step)

    public static final class Sgd extends Call {
        private final int length;
        private final LiveScalar lr;

        public Sgd(Span param, Span grad, int length, LiveScalar lr) {
            super("sgdUpdate", spans(param, grad), access(UPDATE, READ), extents(length, length));
            this.length = length;
            this.lr = lr;
        }

        @Override
        public void run(Backend b) {
            b.sgdUpdate(spans[0], spans[1], length, lr.value());
        }

        @Override
        Call on(Span[] s) {
            return new Sgd(s[0], s[1], length, lr);
        }
    }

    public static final class Momentum extends Call {
        private final int length;
        private final LiveScalar lr;
        private final double beta;

        public Momentum(Span param, Span grad, Span velocity, int length, LiveScalar lr, double beta) {
            super("momentumUpdate", spans(param, grad, velocity), access(UPDATE, READ, UPDATE),
                    extents(length, length, length));
            this.length = length;
            this.lr = lr;
            this.beta = beta;
        }

        @Override
        public void run(Backend b) {
            b.momentumUpdate(spans[0], spans[1], spans[2], length, lr.value(), beta);
        }

        @Override
        Call on(Span[] s) {
            return new Momentum(s[0], s[1], s[2], length, lr, beta);
        }
    }

    public static final class RmsProp extends Call {
        private final int length;
        private final LiveScalar lr;
        private final double beta;
        private final double eps;

        public RmsProp(Span param, Span grad, Span meanSquare, int length, LiveScalar lr, double beta, double eps) {
            super("rmspropUpdate", spans(param, grad, meanSquare), access(UPDATE, READ, UPDATE),
                    extents(length, length, length));
            this.length = length;
            this.lr = lr;
            this.beta = beta;
            this.eps = eps;
        }

        @Override
        public void run(Backend b) {
            b.rmspropUpdate(spans[0], spans[1], spans[2], length, lr.value(), beta, eps);
        }

        @Override
        Call on(Span[] s) {
            return new RmsProp(s[0], s[1], s[2], length, lr, beta, eps);
        }
    }

    public static final class Adam extends Call {
        private final int length;
        private final LiveScalar lr;
        private final double beta1;
        private final double beta2;
        private final double eps;
        private final LiveScalar step;
        private final double weightDecay;

        public Adam(Span param, Span grad, Span m, Span v, int length, LiveScalar lr, double beta1, double beta2,
                    double eps, LiveScalar step, double weightDecay) {
            super("adamUpdate", spans(param, grad, m, v), access(UPDATE, READ, UPDATE, UPDATE),
                    extents(length, length, length, length));
            this.length = length;
            this.lr = lr;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.step = step;
            this.weightDecay = weightDecay;
        }

        @Override
        public void run(Backend b) {
            b.adamUpdate(spans[0], spans[1], spans[2], spans[3], length, lr.value(), beta1, beta2, eps,
                    (int) step.longValue(), weightDecay);
        }

        @Override
        Call on(Span[] s) {
            return new Adam(s[0], s[1], s[2], s[3], length, lr, beta1, beta2, eps, step, weightDecay);
        }

        /** Whether {@code other} has the same hyper-parameters (the same live rate and step). */
        boolean sameSettings(Adam other) {
            return lr == other.lr && step == other.step && Double.compare(beta1, other.beta1) == 0
                    && Double.compare(beta2, other.beta2) == 0 && Double.compare(eps, other.eps) == 0
                    && Double.compare(weightDecay, other.weightDecay) == 0;
        }
    }

    /**
     * Several {@link Adam} calls with one set of hyper-parameters as one {@code adamUpdates} call
     * (spans: param, grad, m, v of each tensor in turn), made by {@link UpdateGrouping}.
     */
    public static final class AdamGroup extends Call {
        private final Adam settings;
        private final int[] lengths;
        private final Span[] params;
        private final Span[] grads;
        private final Span[] ms;
        private final Span[] vs;

        private AdamGroup(Adam settings, int[] lengths, Span[] s) {
            super("adamUpdates", s, groupAccess(lengths.length), groupExtents(lengths));
            this.settings = settings;
            this.lengths = lengths;
            int k = lengths.length;
            params = new Span[k];
            grads = new Span[k];
            ms = new Span[k];
            vs = new Span[k];
            for (int i = 0; i < k; i++) {
                params[i] = s[4 * i];
                grads[i] = s[4 * i + 1];
                ms[i] = s[4 * i + 2];
                vs[i] = s[4 * i + 3];
            }
        }

        /** {@code group} (two or more calls with {@link Adam#sameSettings}) as one call. */
        static AdamGroup of(List<Adam> group) {
            int[] lengths = new int[group.size()];
            Span[] s = new Span[4 * group.size()];
            for (int i = 0; i < lengths.length; i++) {
                Adam a = group.get(i);
                lengths[i] = a.length;
                System.arraycopy(a.spans, 0, s, 4 * i, 4);
            }
            return new AdamGroup(group.getFirst(), lengths, s);
        }

        private static Call.Access[] groupAccess(int k) {
            Call.Access[] a = new Call.Access[4 * k];
            for (int i = 0; i < k; i++) {
                a[4 * i] = UPDATE;
                a[4 * i + 1] = READ;
                a[4 * i + 2] = UPDATE;
                a[4 * i + 3] = UPDATE;
            }
            return a;
        }

        private static int[] groupExtents(int[] lengths) {
            int[] e = new int[4 * lengths.length];
            for (int i = 0; i < e.length; i++) {
                e[i] = lengths[i / 4];
            }
            return e;
        }

        @Override
        public void run(Backend b) {
            Adam a = settings;
            b.adamUpdates(params, grads, ms, vs, lengths, a.lr.value(), a.beta1, a.beta2, a.eps,
                    (int) a.step.longValue(), a.weightDecay);
        }

        @Override
        Call on(Span[] s) {
            return new AdamGroup(settings, lengths, s);
        }
    }
}
