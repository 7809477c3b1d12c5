package dev.ember.cpu.kernels;

import dev.ember.core.spi.Activation;
import dev.ember.core.spi.UnaryOp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Bit digests of the transcendental and summing kernels' outputs, F32 and F64, over odd lengths (so
 * vector bodies and scalar tails both run): {@link JitIndependenceTest} compares a child JVM that
 * never reaches C2 with this JVM after warm-up. {@code main} prints them, one {@code name=digest} a line.
 */
final class KernelDigests {
    /** Lengths with tails for every vector width. */
    private static final int[] LENGTHS = {1003, 61};

    private KernelDigests() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        Map<String, Long> d = null;
        for (int r = 0; r < rounds; r++) {
            d = compute();
        }
        d.forEach((k, v) -> System.out.println(k + "=" + v));
    }

    /** Inputs from a fixed seed: ordinary values, wide ones and the range edges. */
    static double[] inputs(int n, double scale, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = switch (i % 7) {
                case 0 -> random.nextDouble(-800, 800);
                case 1 -> random.nextDouble(-1e-3, 1e-3);
                default -> random.nextGaussian() * scale;
            };
        }
        return x;
    }

    static Map<String, Long> compute() {
        Map<String, Long> d = new LinkedHashMap<>();
        Parallel parallel = new Parallel(1);
        FloatActivationKernels fa = new FloatActivationKernels(parallel);
        DoubleActivationKernels da = new DoubleActivationKernels(parallel);
        FloatSoftmaxKernels fs = new FloatSoftmaxKernels(parallel);
        DoubleSoftmaxKernels ds = new DoubleSoftmaxKernels(parallel);
        for (int n : LENGTHS) {
            double[] xd = inputs(n, 4, n);
            double[] pos = new double[n];
            for (int i = 0; i < n; i++) {
                pos[i] = Math.abs(xd[i]) * (i % 3 == 0 ? 1e-30 : 1);
            }
            float[] xf = toFloat(xd);
            float[] pf = toFloat(pos);
            float[] of = new float[n];
            double[] od = new double[n];
            for (UnaryOp op : new UnaryOp[] {UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.POW_SCALAR}) {
                FloatUnaryKernels.run(op, 1.5f, op == UnaryOp.LOG || op == UnaryOp.POW_SCALAR ? pf : xf, 0, of, 0, n);
                DoubleUnaryKernels.run(op, 1.5, op == UnaryOp.LOG || op == UnaryOp.POW_SCALAR ? pos : xd, 0, od, 0, n);
                d.put("F32." + op + "." + n, digest(of));
                d.put("F64." + op + "." + n, digest(od));
            }
            for (Activation act : new Activation[] {Activation.SIGMOID, Activation.TANH}) {
                fa.forward(act, 0, xf, 0, of, 0, n);
                da.forward(act, 0, xd, 0, od, 0, n);
                d.put("F32." + act + "." + n, digest(of));
                d.put("F64." + act + "." + n, digest(od));
            }
            for (boolean log : new boolean[] {false, true}) {
                int cols = n == 61 ? 61 : 59;   // wide rows (vector path) and, below, rows of 3 (narrow path)
                int rows = n / cols;
                float[] sf = toFloat(inputs(rows * cols, 3, 7));
                double[] sd = inputs(rows * cols, 3, 7);
                fs.forward(log, sf, 0, of, 0, rows, cols);
                ds.forward(log, sd, 0, od, 0, rows, cols);
                d.put("F32.softmax" + log + "." + n, digest(of));
                d.put("F64.softmax" + log + "." + n, digest(od));
                fs.forward(log, xf, 0, of, 0, n / 3, 3);
                ds.forward(log, xd, 0, od, 0, n / 3, 3);
                d.put("F32.narrowSoftmax" + log + "." + n, digest(of));
                d.put("F64.narrowSoftmax" + log + "." + n, digest(od));
                fs.backward(log, sf, 0, xf, 0, of, 0, rows, cols);
                ds.backward(log, sd, 0, xd, 0, od, 0, rows, cols);
                d.put("F32.softmaxBackward" + log + "." + n, digest(of));
                d.put("F64.softmaxBackward" + log + "." + n, digest(od));
            }
            float[] small = toFloat(inputs(n, 1, 3));
            double[] smallD = inputs(n, 1, 3);
            d.put("F32.sum." + n, Double.doubleToRawLongBits(FloatReduceKernels.sum(small, 0, n, false)));
            d.put("F32.sumSquares." + n, Double.doubleToRawLongBits(FloatReduceKernels.sum(small, 0, n, true)));
            d.put("F64.sum." + n, Double.doubleToRawLongBits(DoubleReduceKernels.sum(smallD, 0, n, false)));
            d.put("F64.sumSquares." + n, Double.doubleToRawLongBits(DoubleReduceKernels.sum(smallD, 0, n, true)));
        }
        parallel.close();
        return d;
    }

    static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    static long digest(float[] x) {
        long h = 1125899906842597L;
        for (float v : x) {
            h = 31 * h + Float.floatToRawIntBits(v);
        }
        return h;
    }

    static long digest(double[] x) {
        long h = 1125899906842597L;
        for (double v : x) {
            h = 31 * h + Double.doubleToRawLongBits(v);
        }
        return h;
    }
}
