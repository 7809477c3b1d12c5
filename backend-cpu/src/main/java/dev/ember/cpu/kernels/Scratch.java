package dev.ember.cpu.kernels;

import java.util.Arrays;

/**
 * Per-thread scratch arrays, so kernels that need temporary rows or partial sums allocate nothing
 * in steady state. A kernel names the slots it uses: arrays its caller holds across a launch use
 * {@link #CALL} slots, arrays a part uses while it runs use {@link #PART} slots, because the
 * calling thread also runs parts of its own launch. An array may be longer than asked for and
 * holds whatever was left in it unless requested {@code zeroed}. Arrays above {@link #KEEP}
 * elements are allocated for the call and not kept, so one huge tensor does not pin its scratch.
 */
final class Scratch {
    /** First slot of those a caller holds across a launch; there are {@value #SLOTS_PER_USE} of them. */
    static final int CALL = 0;
    /** First slot of those a part holds while it runs. */
    static final int PART = 4;
    static final int SLOTS_PER_USE = 4;
    /** The one slot of {@code FloatVectorMath} / {@code DoubleVectorMath}, the innermost user (it calls no kernel). */
    static final int MATH = 2 * SLOTS_PER_USE;
    /** One vector's lanes, for the fixed-order lane sum ({@code FloatVectorMath.sum}). */
    static final int LANES = MATH + 1;
    /** Largest array kept for reuse, in elements (1 MiB of floats). */
    static final int KEEP = 1 << 18;

    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    private final float[][] floats = new float[LANES + 1][];
    private final double[][] doubles = new double[LANES + 1][];

    private Scratch() {
    }

    /** The calling thread's scratch. */
    static Scratch local() {
        return LOCAL.get();
    }

    /** A float array of at least {@code length} elements in {@code slot}, all zero if {@code zeroed}. */
    float[] floats(int slot, int length, boolean zeroed) {
        float[] a = floats[slot];
        if (a == null || a.length < length) {
            a = new float[length];
            if (length <= KEEP) {
                floats[slot] = a;
            }
            return a;
        }
        if (zeroed) {
            Arrays.fill(a, 0, length, 0f);
        }
        return a;
    }

    /** A double array of at least {@code length} elements in {@code slot}, all zero if {@code zeroed}. */
    double[] doubles(int slot, int length, boolean zeroed) {
        double[] a = doubles[slot];
        if (a == null || a.length < length) {
            a = new double[length];
            if (length <= KEEP) {
                doubles[slot] = a;
            }
            return a;
        }
        if (zeroed) {
            Arrays.fill(a, 0, length, 0d);
        }
        return a;
    }
}
