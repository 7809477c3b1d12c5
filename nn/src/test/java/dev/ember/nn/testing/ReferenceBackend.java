package dev.ember.nn.testing;

import dev.ember.core.DType;
import dev.ember.core.spi.Activation;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.BufferAccounting;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.MemoryStats;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.Philox;
import dev.ember.core.spi.ReduceOp;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.UnaryOp;

/**
 * A deliberately plain, scalar implementation of the backend SPI straight from the formulas in
 * {@link Backend}'s documentation: an independent reference the nn tests can run on (and compare
 * the real backends against). Every value is computed in double and stored in the buffer's dtype.
 */
public final class ReferenceBackend implements Backend {
    private final BufferAccounting accounting = new BufferAccounting();

    private static final class Buf implements DeviceBuffer {
        final ReferenceBackend owner;
        final DType dtype;
        final float[] f;
        final double[] d;

        Buf(ReferenceBackend owner, DType dtype, int n) {
            this.owner = owner;
            this.dtype = dtype;
            this.f = dtype == DType.F32 ? new float[n] : null;
            this.d = dtype == DType.F64 ? new double[n] : null;
        }

        @Override
        public DType dtype() {
            return dtype;
        }

        @Override
        public int length() {
            return f != null ? f.length : d.length;
        }

        @Override
        public Backend backend() {
            return owner;
        }
    }

    private static double get(Span s, int i) {
        Buf b = (Buf) s.buffer();
        return b.f != null ? b.f[s.offset() + i] : b.d[s.offset() + i];
    }

    private static void set(Span s, int i, double v) {
        Buf b = (Buf) s.buffer();
        if (b.f != null) {
            b.f[s.offset() + i] = (float) v;
        } else {
            b.d[s.offset() + i] = v;
        }
    }

    /** Rounds like the buffer's dtype (so F32 intermediates behave as on a real F32 backend). */
    private static double round(Span s, double v) {
        return ((Buf) s.buffer()).f != null ? (float) v : v;
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String device() {
        return "scalar Java reference (tests only)";
    }

    @Override
    public DeviceBuffer allocate(DType dtype, int length) {
        Buf b = new Buf(this, dtype, length);
        accounting.allocated(b.bytes());
        return b;
    }

    @Override
    public void free(DeviceBuffer buffer) {
        accounting.freed(buffer.bytes());
    }

    @Override
    public MemoryStats memory() {
        return accounting.snapshot();
    }

    @Override
    public void noteReclaimedByCleaner() {
        accounting.reclaimedByCleaner();
    }

    @Override
    public void write(Span dst, float[] src, int srcOffset, int length) {
        for (int i = 0; i < length; i++) {
            set(dst, i, src[srcOffset + i]);
        }
    }

    @Override
    public void write(Span dst, double[] src, int srcOffset, int length) {
        for (int i = 0; i < length; i++) {
            set(dst, i, src[srcOffset + i]);
        }
    }

    @Override
    public void read(Span src, float[] dst, int dstOffset, int length) {
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = (float) get(src, i);
        }
    }

    @Override
    public void read(Span src, double[] dst, int dstOffset, int length) {
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = get(src, i);
        }
    }

    @Override
    public void synchronize() {
    }

    @Override
    public void fill(Span dst, int length, double value) {
        for (int i = 0; i < length; i++) {
            set(dst, i, value);
        }
    }

    @Override
    public void copyStrided(Span src, int[] shape, int[] srcStrides, Span dst) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        int[] idx = new int[shape.length];
        for (int i = 0; i < n; i++) {
            int off = 0;
            for (int k = 0; k < shape.length; k++) {
                off += idx[k] * srcStrides[k];
            }
            set(dst, i, get(src, off));
            for (int k = shape.length - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) {
                    break;
                }
                idx[k] = 0;
            }
        }
    }

    @Override
    public void cast(Span src, Span dst, int length) {
        for (int i = 0; i < length; i++) {
            set(dst, i, get(src, i));
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Span a, int lda, Span b,
                     int ldb, double beta, Span c, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += get(a, transA ? p * lda + i : i * lda + p) * get(b, transB ? j * ldb + p : p * ldb + j);
                }
                int ci = i * ldc + j;
                set(c, ci, alpha * s + (beta == 0 ? 0 : beta * get(c, ci)));
            }
        }
    }

    @Override
    public void unary(UnaryOp op, double p, Span x, Span out, int length) {
        for (int i = 0; i < length; i++) {
            double v = get(x, i);
            set(out, i, switch (op) {
                case NEG -> -v;
                case ABS -> Math.abs(v);
                case EXP -> Math.exp(v);
                case LOG -> Math.log(v);
                case SQRT -> Math.sqrt(v);
                case RSQRT -> 1 / Math.sqrt(v);
                case SQUARE -> v * v;
                case RECIPROCAL -> 1 / v;
                case SIGN -> Math.signum(v);
                case ADD_SCALAR -> v + p;
                case MUL_SCALAR -> v * p;
                case POW_SCALAR -> Math.pow(v, p);
                case MIN_SCALAR -> Math.min(v, p);
                case MAX_SCALAR -> Math.max(v, p);
            });
        }
    }

    @Override
    public void binary(BinaryOp op, int rows, int cols, Operand a, Operand b, Span out) {
        double[] r = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double x = get(a.span(), i * a.rowStride() + j * a.colStride());
                double y = get(b.span(), i * b.rowStride() + j * b.colStride());
                r[i * cols + j] = switch (op) {
                    case ADD -> x + y;
                    case SUB -> x - y;
                    case MUL -> x * y;
                    case DIV -> x / y;
                    case MAX -> Math.max(x, y);
                    case MIN -> Math.min(x, y);
                    case GREATER -> x > y ? 1 : 0;
                };
            }
        }
        for (int i = 0; i < r.length; i++) {
            set(out, i, r[i]);
        }
    }

    @Override
    public void reduce(ReduceOp op, Span x, int outer, int length, int inner, Span out) {
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                double acc = switch (op) {
                    case MAX, ARGMAX -> Double.NEGATIVE_INFINITY;
                    case MIN -> Double.POSITIVE_INFINITY;
                    default -> 0;
                };
                int arg = 0;
                for (int j = 0; j < length; j++) {
                    double v = get(x, (o * length + j) * inner + in);
                    switch (op) {
                        case SUM, MEAN -> acc += v;
                        case SUM_OF_SQUARES -> acc += v * v;
                        case MAX -> acc = Math.max(acc, v);
                        case MIN -> acc = Math.min(acc, v);
                        case ARGMAX -> {
                            if (v > acc) {
                                acc = v;
                                arg = j;
                            }
                        }
                    }
                }
                double r = op == ReduceOp.MEAN ? acc / length : op == ReduceOp.ARGMAX ? arg : acc;
                set(out, o * inner + in, r);
            }
        }
    }

    @Override
    public void activation(Activation act, double alpha, Span x, Span y, int length) {
        for (int i = 0; i < length; i++) {
            double v = get(x, i);
            set(y, i, switch (act) {
                case RELU -> v > 0 ? v : 0;
                case LEAKY_RELU -> v > 0 ? v : alpha * v;
                case SIGMOID -> 1 / (1 + Math.exp(-v));
                case TANH -> Math.tanh(v);
            });
        }
    }

    @Override
    public void activationBackward(Activation act, double alpha, Span x, Span y, Span dy, Span dx, int length) {
        for (int i = 0; i < length; i++) {
            double g = get(dy, i);
            double xv = get(x, i);
            double yv = get(y, i);
            set(dx, i, switch (act) {
                case RELU -> xv > 0 ? g : 0;
                case LEAKY_RELU -> xv > 0 ? g : alpha * g;
                case SIGMOID -> g * yv * (1 - yv);
                case TANH -> g * (1 - yv * yv);
            });
        }
    }

    @Override
    public void softmax(boolean log, Span x, Span y, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                max = Math.max(max, get(x, r * cols + c));
            }
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += Math.exp(get(x, r * cols + c) - max);
            }
            for (int c = 0; c < cols; c++) {
                double z = get(x, r * cols + c) - max;
                set(y, r * cols + c, log ? z - Math.log(sum) : Math.exp(z) / sum);
            }
        }
    }

    @Override
    public void softmaxBackward(boolean log, Span y, Span dy, Span dx, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                s += log ? get(dy, i) : get(dy, i) * get(y, i);
            }
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                double yv = get(y, i);
                double g = get(dy, i);
                set(dx, i, log ? g - Math.exp(yv) * s : yv * (g - s));
            }
        }
    }

    @Override
    public void batchNormTraining(int rows, int cols, Span x, Span gamma, Span beta, double eps, double momentum,
                                  Span runningMean, Span runningVar, Span y, Span savedMean, Span savedInvStd) {
        for (int c = 0; c < cols; c++) {
            double mean = 0;
            for (int r = 0; r < rows; r++) {
                mean += get(x, r * cols + c);
            }
            mean /= rows;
            double var = 0;
            for (int r = 0; r < rows; r++) {
                double d = get(x, r * cols + c) - mean;
                var += d * d;
            }
            var /= rows;
            double inv = 1 / Math.sqrt(var + eps);
            for (int r = 0; r < rows; r++) {
                set(y, r * cols + c, get(gamma, c) * (get(x, r * cols + c) - mean) * inv + get(beta, c));
            }
            set(savedMean, c, mean);
            set(savedInvStd, c, inv);
            set(runningMean, c, momentum * get(runningMean, c) + (1 - momentum) * mean);
            set(runningVar, c, momentum * get(runningVar, c) + (1 - momentum) * var);
        }
    }

    @Override
    public void batchNormInference(int rows, int cols, Span x, Span gamma, Span beta, Span runningMean,
                                   Span runningVar, double eps, Span y) {
        for (int c = 0; c < cols; c++) {
            double inv = 1 / Math.sqrt(get(runningVar, c) + eps);
            for (int r = 0; r < rows; r++) {
                set(y, r * cols + c, get(gamma, c) * (get(x, r * cols + c) - get(runningMean, c)) * inv
                        + get(beta, c));
            }
        }
    }

    @Override
    public void batchNormBackward(int rows, int cols, Span x, Span dy, Span gamma, Span savedMean, Span savedInvStd,
                                  Span dx, Span dgamma, Span dbeta) {
        for (int c = 0; c < cols; c++) {
            double mean = get(savedMean, c);
            double inv = get(savedInvStd, c);
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int r = 0; r < rows; r++) {
                int i = r * cols + c;
                double xhat = (get(x, i) - mean) * inv;
                sumDy += get(dy, i);
                sumDyXhat += get(dy, i) * xhat;
            }
            set(dbeta, c, sumDy);
            set(dgamma, c, sumDyXhat);
            double g = get(gamma, c);
            for (int r = 0; r < rows; r++) {
                int i = r * cols + c;
                double xhat = (get(x, i) - mean) * inv;
                set(dx, i, g * inv / rows * (rows * get(dy, i) - sumDy - xhat * sumDyXhat));
            }
        }
    }

    @Override
    public void random(Distribution distribution, double a, double b, long seed, long stream, Span out, int length) {
        for (int i = 0; i < length; i++) {
            double v = switch (distribution) {
                case UNIFORM -> a + (b - a) * Philox.uniform(Philox.word(seed, stream, i));
                case NORMAL -> a + b * Philox.normal(seed, stream, i);
                case BERNOULLI -> Philox.uniform(Philox.word(seed, stream, i)) < a ? b : 0;
            };
            set(out, i, v);
        }
    }

    @Override
    public void sgdUpdate(Span param, Span grad, int length, double lr) {
        for (int i = 0; i < length; i++) {
            set(param, i, get(param, i) - lr * get(grad, i));
        }
    }

    @Override
    public void momentumUpdate(Span param, Span grad, Span velocity, int length, double lr, double beta) {
        for (int i = 0; i < length; i++) {
            double v = round(velocity, beta * get(velocity, i) + (1 - beta) * get(grad, i));
            set(velocity, i, v);
            set(param, i, get(param, i) - lr * v);
        }
    }

    @Override
    public void rmspropUpdate(Span param, Span grad, Span meanSquare, int length, double lr, double beta, double eps) {
        for (int i = 0; i < length; i++) {
            double g = get(grad, i);
            double s = round(meanSquare, beta * get(meanSquare, i) + (1 - beta) * g * g);
            set(meanSquare, i, s);
            set(param, i, get(param, i) - lr * g / (Math.sqrt(s) + eps));
        }
    }

    @Override
    public void adamUpdate(Span param, Span grad, Span m, Span v, int length, double lr, double beta1, double beta2,
                           double eps, int step, double weightDecay) {
        double c1 = 1 - Math.pow(beta1, step);
        double c2 = 1 - Math.pow(beta2, step);
        for (int i = 0; i < length; i++) {
            double g = get(grad, i);
            double mi = round(m, beta1 * get(m, i) + (1 - beta1) * g);
            double vi = round(v, beta2 * get(v, i) + (1 - beta2) * g * g);
            set(m, i, mi);
            set(v, i, vi);
            double p = get(param, i);
            set(param, i, p - lr * (mi / c1) / (Math.sqrt(vi / c2) + eps) - lr * weightDecay * p);
        }
    }

    @Override
    public void close() {
    }
}
