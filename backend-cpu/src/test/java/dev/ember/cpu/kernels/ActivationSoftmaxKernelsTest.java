package dev.ember.cpu.kernels;

import dev.ember.core.DType;
import dev.ember.core.spi.Activation;
import dev.ember.core.spi.Span;
import dev.ember.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Activations, softmax and their gradients, including logits of +-1e4. */
class ActivationSoftmaxKernelsTest extends KernelTestSupport {
    private static final double ALPHA = 0.1;

    private static double[] inputs(DType dt, int n) {
        double[] x = random(new Random(n), n, -8, 8);
        x[0] = 1e4;
        if (n > 1) {
            x[1] = -1e4;
        }
        if (n > 2) {
            x[2] = 0;
        }
        return rounded(dt, x);
    }

    private static int[] sizes() {
        int[] s = java.util.Arrays.copyOf(SIZES, SIZES.length + 1);
        s[SIZES.length] = 100_003;
        return s;
    }

    @Test
    void activationsMatchDoubleReference() {
        backends().forEach(be -> dtypes().forEach(dt -> {
            for (Activation act : Activation.values()) {
                for (int n : sizes()) {
                    double[] x = inputs(dt, n);
                    double alpha = dt == DType.F32 ? (float) ALPHA : ALPHA;
                    double[] expected = new double[n];
                    for (int i = 0; i < n; i++) {
                        expected[i] = switch (act) {
                            case RELU -> Math.max(x[i], 0);
                            case LEAKY_RELU -> x[i] > 0 ? x[i] : alpha * x[i];
                            case SIGMOID -> 1 / (1 + Math.exp(-x[i]));
                            case TANH -> Math.tanh(x[i]);
                        };
                    }
                    Span xs = upload(be, dt, x);
                    Span ys = zeros(be, dt, n);
                    be.activation(act, ALPHA, xs, ys, n);
                    double[] y = download(be, ys, n);
                    String what = act + " " + dt + " n=" + n;
                    // sigmoid(-1e4) is about 1e-4343: compare with an absolute floor of one float ulp of 1
                    assertClose(what, expected, y, tolerance(dt), 1e-7);
                    for (double v : y) {
                        assertThat(Double.isFinite(v)).as(what + " finite").isTrue();
                    }
                    be.activation(act, ALPHA, xs, xs, n); // in place
                    assertClose(what + " in place", expected, download(be, xs, n), tolerance(dt), 1e-7);

                    double[] dy = rounded(dt, gaussian(new Random(n + 1), n));
                    double[] expectedDx = new double[n];
                    for (int i = 0; i < n; i++) {
                        expectedDx[i] = switch (act) {
                            case RELU -> x[i] > 0 ? dy[i] : 0;
                            case LEAKY_RELU -> x[i] > 0 ? dy[i] : alpha * dy[i];
                            case SIGMOID -> dy[i] * y[i] * (1 - y[i]);
                            case TANH -> dy[i] * ((1 - y[i]) * (1 + y[i])); // 1 - y*y cancels near |y| = 1
                        };
                    }
                    Span dys = upload(be, dt, dy);
                    Span xs2 = upload(be, dt, x);
                    Span ys2 = upload(be, dt, y);
                    be.activationBackward(act, ALPHA, xs2, ys2, dys, dys, n); // dx aliases dy
                    assertClose(what + " backward", expectedDx, download(be, dys, n), tolerance(dt), 1e-7);
                }
            }
        }));
    }

    @Test
    void softmaxIsStableAndMatchesReference() {
        int[][] grids = {{1, 1}, {2, 3}, {3, 7}, {1, 17}, {4, 33}, {2, 65}, {3, 127}, {2, 513}, {5000, 10}, {2, 70_000}};
        backends().forEach(be -> dtypes().forEach(dt -> {
            for (int[] g : grids) {
                int rows = g[0];
                int cols = g[1];
                int n = rows * cols;
                Random rnd = new Random(n);
                double[] x = rounded(dt, random(rnd, n, -5, 5));
                for (int r = 0; r < rows; r++) { // huge logits in most rows
                    if (r % 3 != 2) {
                        x[r * cols + rnd.nextInt(cols)] = 1e4;
                        x[r * cols + rnd.nextInt(cols)] = -1e4;
                    }
                }
                double[] soft = new double[n];
                double[] logSoft = new double[n];
                for (int r = 0; r < rows; r++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < cols; j++) {
                        max = Math.max(max, x[r * cols + j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < cols; j++) {
                        sum += Math.exp(x[r * cols + j] - max);
                    }
                    for (int j = 0; j < cols; j++) {
                        soft[r * cols + j] = Math.exp(x[r * cols + j] - max) / sum;
                        logSoft[r * cols + j] = x[r * cols + j] - max - Math.log(sum);
                    }
                }
                String what = dt + " " + rows + "x" + cols;
                for (boolean log : new boolean[] {false, true}) {
                    double[] expected = log ? logSoft : soft;
                    Span xs = upload(be, dt, x);
                    Span ys = zeros(be, dt, n);
                    be.softmax(log, xs, ys, rows, cols);
                    double[] y = download(be, ys, n);
                    // log-softmax of -1e4 is about -1e4: relative; softmax: absolute against 1
                    assertClose((log ? "logSoftmax " : "softmax ") + what, expected, y, 4 * tolerance(dt),
                            log ? 1.0 : 1.0);
                    be.softmax(log, xs, xs, rows, cols); // in place
                    assertClose("in place " + what, expected, download(be, xs, n), 4 * tolerance(dt), 1.0);

                    double[] dy = rounded(dt, gaussian(rnd, n));
                    double[] expectedDx = new double[n];
                    for (int r = 0; r < rows; r++) {
                        double s = 0;
                        for (int j = 0; j < cols; j++) {
                            s += log ? dy[r * cols + j] : dy[r * cols + j] * y[r * cols + j];
                        }
                        for (int j = 0; j < cols; j++) {
                            int k = r * cols + j;
                            expectedDx[k] = log ? dy[k] - Math.exp(y[k]) * s : y[k] * (dy[k] - s);
                        }
                    }
                    Span dys = upload(be, dt, dy);
                    be.softmaxBackward(log, upload(be, dt, y), dys, dys, rows, cols);
                    // scale: the gradient's terms are of the order of sum |dy|
                    double scale = Math.sqrt(cols);
                    assertClose("backward " + log + " " + what, expectedDx, download(be, dys, n), 4 * tolerance(dt),
                            scale);
                }
            }
        }));
    }

    @Test
    void softmaxRowsSumToOne() {
        CpuBackend be = THREADED;
        dtypes().forEach(dt -> {
            int rows = 300;
            int cols = 1001;
            double[] x = rounded(dt, random(new Random(5), rows * cols, -1e4, 1e4));
            Span ys = zeros(be, dt, rows * cols);
            be.softmax(false, upload(be, dt, x), ys, rows, cols);
            double[] y = download(be, ys, rows * cols);
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    assertThat(y[r * cols + j]).isBetween(0.0, 1.0);
                    s += y[r * cols + j];
                }
                assertThat(s).isCloseTo(1.0, org.assertj.core.data.Offset.offset(4 * tolerance(dt)));
            }
        });
    }
}
