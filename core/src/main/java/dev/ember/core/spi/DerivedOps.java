package dev.ember.core.spi;

import dev.ember.core.DType;

import java.util.ArrayList;
import java.util.List;

/**
 * The derived tier of the SPI, composed once from the required primitives ({@code unary},
 * {@code binary}, {@code reduce}, {@code fill}, {@code allocate}/{@code free}). Each method here is the
 * body of the {@link Backend} default of the same name, and the definition a backend's faster
 * override is compared with by the conformance kit; it is public for that comparison.
 *
 * <p>Every composition is an IEEE-faithful chain of primitives, so the special-value rules of
 * {@link Backend} hold here by construction. Temporaries are allocated on the backend and freed
 * before the method returns.
 */
public final class DerivedOps {
    private DerivedOps() {
    }

    // ---------------------------------------------------------------- activations

    public static void activation(Backend b, Activation act, double alpha, Span x, Span y, int n) {
        switch (act) {
            case RELU -> b.unary(UnaryOp.MAX_SCALAR, 0, x, y, n);
            case LEAKY_RELU -> {   // alpha != 0: core passes RELU for a slope of 0 (see Activation)
                try (Temps t = new Temps(b, y)) {
                    Span negative = t.take(n);
                    b.unary(UnaryOp.MIN_SCALAR, 0, x, negative, n);
                    b.unary(UnaryOp.MUL_SCALAR, alpha, negative, negative, n);
                    b.unary(UnaryOp.MAX_SCALAR, 0, x, y, n);
                    add(b, y, negative, y, n);
                }
            }
            case SIGMOID -> {   // 1 / (1 + e^-x): e^-x = Inf gives exactly 0
                b.unary(UnaryOp.NEG, 0, x, y, n);
                b.unary(UnaryOp.EXP, 0, y, y, n);
                b.unary(UnaryOp.ADD_SCALAR, 1, y, y, n);
                b.unary(UnaryOp.RECIPROCAL, 0, y, y, n);
            }
            case TANH -> b.unary(UnaryOp.TANH, 0, x, y, n);
        }
    }

    public static void activationBackward(Backend b, Activation act, double alpha, Span x, Span y, Span dy,
                                          Span dx, int n) {
        try (Temps t = new Temps(b, dx)) {
            Span slope = t.take(n);
            switch (act) {
                case RELU, LEAKY_RELU -> {   // 1 where x > 0, else alpha (0 for ReLU and for NaN)
                    Span zero = t.constant(0);
                    b.binary(BinaryOp.GREATER, 1, n, Operand.dense(x, n), Operand.scalar(zero), slope);
                    if (act == Activation.LEAKY_RELU) {
                        b.unary(UnaryOp.MUL_SCALAR, 1 - alpha, slope, slope, n);
                        b.unary(UnaryOp.ADD_SCALAR, alpha, slope, slope, n);
                    }
                }
                case SIGMOID -> {   // y (1 - y)
                    b.unary(UnaryOp.NEG, 0, y, slope, n);
                    b.unary(UnaryOp.ADD_SCALAR, 1, slope, slope, n);
                    mul(b, slope, y, slope, n);
                }
                case TANH -> {   // (1 - y)(1 + y): 1 - y^2 would lose most digits where |y| -> 1
                    Span onePlus = t.take(n);
                    b.unary(UnaryOp.NEG, 0, y, slope, n);
                    b.unary(UnaryOp.ADD_SCALAR, 1, slope, slope, n);
                    b.unary(UnaryOp.ADD_SCALAR, 1, y, onePlus, n);
                    mul(b, slope, onePlus, slope, n);
                }
            }
            mul(b, dy, slope, dx, n);
        }
    }

    public static void biasActivation(Backend b, Activation act, double alpha, Span x, Span bias, Span y,
                                      int rows, int cols) {
        b.binary(BinaryOp.ADD, rows, cols, Operand.dense(x, cols), Operand.row(bias), y);
        activation(b, act, alpha, y, y, rows * cols);
    }

    // ---------------------------------------------------------------- softmax

    public static void softmax(Backend b, boolean log, Span x, Span y, int rows, int cols) {
        try (Temps t = new Temps(b, y)) {
            Span rowMax = t.take(rows);
            b.reduce(ReduceOp.MAX, x, rows, cols, 1, rowMax);
            b.binary(BinaryOp.SUB, rows, cols, Operand.dense(x, cols), Operand.column(rowMax), y);
            Span rowSum = t.take(rows);
            if (log) {   // (x - max) - log(sum(e^(x - max)))
                Span e = t.take(rows * cols);
                b.unary(UnaryOp.EXP, 0, y, e, rows * cols);
                b.reduce(ReduceOp.SUM, e, rows, cols, 1, rowSum);
                b.unary(UnaryOp.LOG, 0, rowSum, rowSum, rows);
                b.binary(BinaryOp.SUB, rows, cols, Operand.dense(y, cols), Operand.column(rowSum), y);
            } else {
                b.unary(UnaryOp.EXP, 0, y, y, rows * cols);
                b.reduce(ReduceOp.SUM, y, rows, cols, 1, rowSum);
                b.binary(BinaryOp.DIV, rows, cols, Operand.dense(y, cols), Operand.column(rowSum), y);
            }
        }
    }

    public static void softmaxBackward(Backend b, boolean log, Span y, Span dy, Span dx, int rows, int cols) {
        int n = rows * cols;
        try (Temps t = new Temps(b, dx)) {
            Span rowSum = t.take(rows);
            Span work = t.take(n);
            if (log) {   // dy - e^y * sum(dy)
                b.reduce(ReduceOp.SUM, dy, rows, cols, 1, rowSum);
                b.unary(UnaryOp.EXP, 0, y, work, n);
                b.binary(BinaryOp.MUL, rows, cols, Operand.dense(work, cols), Operand.column(rowSum), work);
                sub(b, dy, work, dx, n);
            } else {     // y * (dy - sum(dy * y))
                mul(b, dy, y, work, n);
                b.reduce(ReduceOp.SUM, work, rows, cols, 1, rowSum);
                b.binary(BinaryOp.SUB, rows, cols, Operand.dense(dy, cols), Operand.column(rowSum), dx);
                mul(b, dx, y, dx, n);
            }
        }
    }

    // ---------------------------------------------------------------- batch normalisation

    public static void batchNormTraining(Backend b, int rows, int cols, Span x, Span gamma, Span beta, double eps,
                                         double momentum, Span runningMean, Span runningVar, Span y,
                                         Span savedMean, Span savedInvStd) {
        int n = rows * cols;
        try (Temps t = new Temps(b, y)) {
            b.reduce(ReduceOp.MEAN, x, 1, rows, cols, savedMean);
            Span centred = t.take(n);
            b.binary(BinaryOp.SUB, rows, cols, Operand.dense(x, cols), Operand.row(savedMean), centred);
            Span variance = t.take(cols);   // biased: sum((x - mean)^2) / N
            b.reduce(ReduceOp.SUM_OF_SQUARES, centred, 1, rows, cols, variance);
            b.unary(UnaryOp.MUL_SCALAR, 1.0 / rows, variance, variance, cols);
            b.unary(UnaryOp.ADD_SCALAR, eps, variance, savedInvStd, cols);
            b.unary(UnaryOp.RSQRT, 0, savedInvStd, savedInvStd, cols);
            scaleShift(b, rows, cols, centred, savedInvStd, gamma, beta, y);
            Span weighted = t.take(cols);
            runningAverage(b, runningMean, savedMean, momentum, weighted, cols);
            runningAverage(b, runningVar, variance, momentum, weighted, cols);
        }
    }

    public static void batchNormInference(Backend b, int rows, int cols, Span x, Span gamma, Span beta,
                                          Span runningMean, Span runningVar, double eps, Span y) {
        try (Temps t = new Temps(b, y)) {
            Span invStd = t.take(cols);
            b.unary(UnaryOp.ADD_SCALAR, eps, runningVar, invStd, cols);
            b.unary(UnaryOp.RSQRT, 0, invStd, invStd, cols);
            b.binary(BinaryOp.SUB, rows, cols, Operand.dense(x, cols), Operand.row(runningMean), y);
            scaleShift(b, rows, cols, y, invStd, gamma, beta, y);
        }
    }

    public static void batchNormBackward(Backend b, int rows, int cols, Span x, Span dy, Span gamma,
                                         Span savedMean, Span savedInvStd, Span dx, Span dgamma, Span dbeta) {
        int n = rows * cols;
        try (Temps t = new Temps(b, dx)) {
            b.reduce(ReduceOp.SUM, dy, 1, rows, cols, dbeta);
            Span xHat = t.take(n);
            b.binary(BinaryOp.SUB, rows, cols, Operand.dense(x, cols), Operand.row(savedMean), xHat);
            b.binary(BinaryOp.MUL, rows, cols, Operand.dense(xHat, cols), Operand.row(savedInvStd), xHat);
            Span work = t.take(n);
            mul(b, dy, xHat, work, n);
            b.reduce(ReduceOp.SUM, work, 1, rows, cols, dgamma);
            // dx = gamma * invStd / N * (N dy - dbeta - xHat * dgamma)
            b.unary(UnaryOp.MUL_SCALAR, rows, dy, work, n);
            b.binary(BinaryOp.SUB, rows, cols, Operand.dense(work, cols), Operand.row(dbeta), work);
            b.binary(BinaryOp.MUL, rows, cols, Operand.dense(xHat, cols), Operand.row(dgamma), xHat);
            sub(b, work, xHat, work, n);
            Span scale = t.take(cols);
            mul(b, gamma, savedInvStd, scale, cols);
            b.unary(UnaryOp.MUL_SCALAR, 1.0 / rows, scale, scale, cols);
            b.binary(BinaryOp.MUL, rows, cols, Operand.dense(work, cols), Operand.row(scale), dx);
        }
    }

    /** {@code out = in * scale + shift}, {@code scale = invStd * gamma} and {@code shift = beta} per column. */
    private static void scaleShift(Backend b, int rows, int cols, Span in, Span invStd, Span gamma, Span beta,
                                   Span out) {
        b.binary(BinaryOp.MUL, rows, cols, Operand.dense(in, cols), Operand.row(invStd), out);
        b.binary(BinaryOp.MUL, rows, cols, Operand.dense(out, cols), Operand.row(gamma), out);
        b.binary(BinaryOp.ADD, rows, cols, Operand.dense(out, cols), Operand.row(beta), out);
    }

    /** {@code running = momentum * running + (1 - momentum) * batch}. */
    private static void runningAverage(Backend b, Span running, Span batch, double momentum, Span work, int n) {
        b.unary(UnaryOp.MUL_SCALAR, momentum, running, running, n);
        b.unary(UnaryOp.MUL_SCALAR, 1 - momentum, batch, work, n);
        add(b, running, work, running, n);
    }

    // ---------------------------------------------------------------- optimiser updates

    public static void sgdUpdate(Backend b, Span param, Span grad, int n, double lr) {
        try (Temps t = new Temps(b, param)) {
            Span step = t.take(n);
            b.unary(UnaryOp.MUL_SCALAR, lr, grad, step, n);
            sub(b, param, step, param, n);
        }
    }

    public static void momentumUpdate(Backend b, Span param, Span grad, Span velocity, int n, double lr,
                                      double beta) {
        try (Temps t = new Temps(b, param)) {
            Span work = t.take(n);
            exponentialAverage(b, velocity, grad, beta, work, n);
            b.unary(UnaryOp.MUL_SCALAR, lr, velocity, work, n);
            sub(b, param, work, param, n);
        }
    }

    public static void rmspropUpdate(Backend b, Span param, Span grad, Span meanSquare, int n, double lr,
                                     double beta, double eps) {
        try (Temps t = new Temps(b, param)) {
            Span work = t.take(n);
            b.unary(UnaryOp.SQUARE, 0, grad, work, n);
            exponentialAverage(b, meanSquare, work, beta, work, n);
            b.unary(UnaryOp.SQRT, 0, meanSquare, work, n);
            b.unary(UnaryOp.ADD_SCALAR, eps, work, work, n);
            b.binary(BinaryOp.DIV, 1, n, Operand.dense(grad, n), Operand.dense(work, n), work);
            b.unary(UnaryOp.MUL_SCALAR, lr, work, work, n);
            sub(b, param, work, param, n);
        }
    }

    public static void adamUpdate(Backend b, Span param, Span grad, Span m, Span v, int n, double lr, double beta1,
                                  double beta2, double eps, int step, double weightDecay) {
        try (Temps t = new Temps(b, param)) {
            Span work = t.take(n);
            exponentialAverage(b, m, grad, beta1, work, n);
            b.unary(UnaryOp.SQUARE, 0, grad, work, n);
            exponentialAverage(b, v, work, beta2, work, n);
            Span decay = null;
            if (weightDecay > 0) {   // decoupled: from the parameter before this step's update
                decay = t.take(n);
                b.unary(UnaryOp.MUL_SCALAR, lr * weightDecay, param, decay, n);
            }
            // lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
            b.unary(UnaryOp.MUL_SCALAR, 1 / (1 - Math.pow(beta2, step)), v, work, n);
            b.unary(UnaryOp.SQRT, 0, work, work, n);
            b.unary(UnaryOp.ADD_SCALAR, eps, work, work, n);
            b.binary(BinaryOp.DIV, 1, n, Operand.dense(m, n), Operand.dense(work, n), work);
            b.unary(UnaryOp.MUL_SCALAR, lr / (1 - Math.pow(beta1, step)), work, work, n);
            sub(b, param, work, param, n);
            if (decay != null) {
                sub(b, param, decay, param, n);
            }
        }
    }

    public static void adamUpdates(Backend b, Span[] params, Span[] grads, Span[] ms, Span[] vs, int[] lengths,
                                   double lr, double beta1, double beta2, double eps, int step, double weightDecay) {
        for (int i = 0; i < params.length; i++) {
            b.adamUpdate(params[i], grads[i], ms[i], vs[i], lengths[i], lr, beta1, beta2, eps, step, weightDecay);
        }
    }

    /**
     * {@code average = beta * average + (1 - beta) * value}; {@code work} may be {@code value}.
     */
    private static void exponentialAverage(Backend b, Span average, Span value, double beta, Span work, int n) {
        b.unary(UnaryOp.MUL_SCALAR, 1 - beta, value, work, n);
        b.unary(UnaryOp.MUL_SCALAR, beta, average, average, n);
        add(b, average, work, average, n);
    }

    // ---------------------------------------------------------------- fused expressions

    /**
     * Runs an expression node by node with the primitives, each node into its own temporary, and
     * copies the output nodes last (so outputs may alias inputs). Inputs and constants stay
     * operands (broadcast strides) for {@code binary}; {@code unary}, which reads contiguous
     * elements, gets a dense gather of them.
     */
    public static void evaluate(Backend b, Expression e, int rows, int cols, Operand[] inputs, Span[] outputs) {
        int n = rows * cols;
        try (Temps t = new Temps(b, outputs[0])) {
            Operand[] value = new Operand[e.size()];
            for (int i = 0; i < e.size(); i++) {
                value[i] = switch (e.kind(i)) {
                    case INPUT -> inputs[e.input(i)];
                    case CONSTANT -> Operand.scalar(t.constant(e.value(i)));
                    case UNARY -> {
                        Span out = t.take(n);
                        b.unary(e.unaryOp(i), e.value(i), dense(b, t, value[e.left(i)], rows, cols), out, n);
                        yield Operand.dense(out, cols);
                    }
                    case BINARY -> {
                        Span out = t.take(n);
                        b.binary(e.binaryOp(i), rows, cols, value[e.left(i)], value[e.right(i)], out);
                        yield Operand.dense(out, cols);
                    }
                };
            }
            for (int k = 0; k < e.outputs(); k++) {
                gather(b, value[e.output(k)], rows, cols, outputs[k]);
            }
        }
    }

    /** The operand's span if it is dense row-major, else a dense gather of it into a temporary. */
    private static Span dense(Backend b, Temps t, Operand x, int rows, int cols) {
        if ((x.rowStride() == cols || rows == 1) && x.colStride() == 1) {
            return x.span();
        }
        Span out = t.take(rows * cols);
        gather(b, x, rows, cols, out);
        return out;
    }

    /** Copies an operand (broadcast strides allowed) densely into {@code out}, bit for bit. */
    private static void gather(Backend b, Operand x, int rows, int cols, Span out) {
        b.copyStrided(x.span(), new int[] {rows, cols}, new int[] {x.rowStride(), x.colStride()}, out);
    }

    // ---------------------------------------------------------------- flat element-wise helpers

    private static void add(Backend b, Span x, Span y, Span out, int n) {
        b.binary(BinaryOp.ADD, 1, n, Operand.dense(x, n), Operand.dense(y, n), out);
    }

    private static void sub(Backend b, Span x, Span y, Span out, int n) {
        b.binary(BinaryOp.SUB, 1, n, Operand.dense(x, n), Operand.dense(y, n), out);
    }

    private static void mul(Backend b, Span x, Span y, Span out, int n) {
        b.binary(BinaryOp.MUL, 1, n, Operand.dense(x, n), Operand.dense(y, n), out);
    }

    /** Temporary buffers of one composition, in the dtype of its output, freed together. */
    private static final class Temps implements AutoCloseable {
        private final Backend backend;
        private final DType dtype;
        private final List<DeviceBuffer> buffers = new ArrayList<>(4);

        Temps(Backend backend, Span output) {
            this.backend = backend;
            this.dtype = output.buffer().dtype();
        }

        Span take(int length) {
            DeviceBuffer buffer = backend.allocate(dtype, Math.max(1, length));
            buffers.add(buffer);
            return Span.of(buffer);
        }

        Span constant(double value) {
            Span s = take(1);
            backend.fill(s, 1, value);
            return s;
        }

        /** Frees every temporary, even when one free fails (the first failure is rethrown). */
        @Override
        public void close() {
            RuntimeException failure = null;
            for (DeviceBuffer buffer : buffers) {
                try {
                    backend.free(buffer);
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
