package dev.ember.cpu.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector species and work-splitting grains shared by the kernels.
 *
 * <p>Kernels load with {@code FloatVector.fromArray} itself, never through a helper of ours: the
 * JDK forces its own methods inline, but C2 may skip a helper at a call site it thinks cold
 * (a narrow loop inlined into a hot caller), and then every vector it returns is boxed on the heap.
 */
final class Simd {
    /** The widest float vector the JIT supports here (256 bits on AVX2, 512 on AVX-512). */
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    static final int FL = F.length();
    static final int DL = D.length();

    /** Elements per task for cheap, memory-bound element-wise work. */
    static final int GRAIN = 1 << 16;
    /** Elements per task for work dominated by transcendentals (exp, log, tanh, pow). */
    static final int GRAIN_HEAVY = 1 << 14;
    /**
     * F32 sums add at most this many terms into one float accumulator (lane) before flushing it
     * into a double, so their relative error stays below {@code FLOAT_CHAIN * 2^-24} (about 1e-6)
     * at any length, at the speed of float adds (converting every element to double is 2-4x slower).
     */
    static final int FLOAT_CHAIN = 16;

    private Simd() {
    }

    /**
     * How many row chunks to split a reduction over {@code rows} rows of {@code rowSize} elements
     * into: one per thread when each gets at least {@link #GRAIN} elements. Reductions over rows
     * split by rows (each chunk producing partial column results, combined in chunk order) rather
     * than by column bands: two threads streaming interleaved halves of the same rows measured
     * about 3x slower than one thread on the 2-core machine.
     */
    static int rowChunks(Parallel parallel, int rows, long rowSize) {
        return (int) Math.max(1, Math.min(Math.min(parallel.threads(), rows), (long) rows * rowSize / GRAIN));
    }

    /** First row of chunk {@code k} of {@code chunks} over {@code rows} rows. */
    static int chunkStart(int rows, int k, int chunks) {
        return (int) ((long) rows * k / chunks);
    }

    /** Tasks of at least {@code work} elements each: the grain in units of {@code unitSize}-element items. */
    static int grain(int work, long unitSize) {
        return (int) Math.max(1, work / Math.max(1, unitSize));
    }
}
