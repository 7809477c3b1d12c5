package dev.ember.cpu.gemm;

/**
 * What {@link GemmDriver} needs from one element type: its register tile and block sizes, pack
 * buffers, packing, and the macro-kernel. Arrays travel as {@code Object} ({@code float[]} for F32,
 * {@code double[]} for F64) and scalars as {@code double} (a float widened and narrowed back is
 * unchanged). The driver calls these once per cache block, never per micro-tile, so the hot loops
 * (micro-panel sweep, packing) stay inside one precision's code however the call site is profiled.
 */
abstract class GemmPrecision {
    /** The length of the gather-offset scratch passed to the packing methods: any vector's lane count. */
    static final int GATHER_LANES = 64;

    /** Register tile rows and columns. */
    final int mr;
    final int nr;
    final GemmBlocking blocking;
    /** Lanes of the preferred vector: the unpacked {@link #small} path vectorises rows at least this wide. */
    final int lanes;

    GemmPrecision(int elementBytes, int mr, int nr, int lanes) {
        this.mr = mr;
        this.nr = nr;
        this.lanes = lanes;
        this.blocking = GemmBlocking.of(elementBytes, mr, nr);
    }

    /** A new array of this element type. */
    abstract Object allocate(int length);

    abstract int length(Object array);

    /**
     * Packs {@code alpha * op(A)[i0 : i0+mc, p0 : p0+kc]} into {@code dst} (see the packing
     * classes); {@code index} is scratch for gather offsets, {@link #GATHER_LANES} long.
     */
    abstract void packA(boolean transA, double alpha, Object a, int aOff, int lda, int i0, int mc, int p0, int kc,
                        Object dst, int[] index);

    /** Packs {@code op(B)[p0 : p0+kc, j0 : j0+nc]} into {@code dst}. */
    abstract void packB(boolean transB, Object b, int bOff, int ldb, int p0, int kc, int j0, int nc, Object dst,
                        int[] index);

    /**
     * Sweeps the register tile over an {@code mc x nc} block of C at {@code c[co]} from packed
     * blocks of depth {@code kc} (the A block starting at {@code packedA[ao]}):
     * {@code C = A~ B~ + beta C}, or {@code = A~ B~} when {@code overwrite}.
     */
    abstract void macroKernel(int mc, int nc, int kc, Object packedA, int ao, Object packedB, Object c, int co, int ldc,
                              boolean overwrite, double beta, Object edge);

    /**
     * Copies {@code alpha * op(B)} ({@code k x n}, {@code n <= lanes}) into {@code dst} as
     * {@code k} zero-padded rows of {@code lanes}, for {@link #narrowRows}.
     */
    abstract void narrowPackB(boolean transB, int n, int k, double alpha, Object b, int bOff, int ldb, Object dst);

    /**
     * {@code C[i0:i1, 0:n] = op(A)[i0:i1, :] B~ + beta C} for a C at most one vector wide, from
     * {@code packedB} ({@link #narrowPackB}) and the caller's A, unpacked; {@code sums} is scratch of
     * {@code mr * nr} elements.
     */
    abstract void narrowRows(boolean transA, int i0, int i1, int n, int k, Object a, int aOff, int lda,
                             Object packedB, double beta, Object c, int cOff, int ldc, Object sums);

    /**
     * The whole product {@code C = alpha op(A) op(B) + beta C} without packing, on the calling
     * thread, for products below {@link GemmDriver#SMALL_WORK} (or {@link GemmDriver#SMALL_ROWS_WORK}).
     */
    abstract void small(boolean transA, boolean transB, int m, int n, int k, double alpha, Object a, int aOff,
                        int lda, Object b, int bOff, int ldb, double beta, Object c, int cOff, int ldc);

    /** {@code C = beta * C}, writing zeros without reading C when {@code beta == 0}. */
    abstract void scale(int m, int n, double beta, Object c, int cOff, int ldc);
}
