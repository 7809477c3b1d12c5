package dev.ember.cpu.gemm;

import dev.ember.cpu.kernels.IdlePool;
import dev.ember.cpu.kernels.Parallel;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The Goto/BLIS loop nest, shared by F32 and F64 ({@link GemmPrecision}): for each {@code nc}-wide
 * panel of op(B) and {@code kc}-deep slice, pack the {@code kc x nc} B panel, then for each
 * {@code mc}-tall block of op(A) pack it and run the macro-kernel over it. Threads take independent
 * parts of C ({@link GemmPartition}); pack buffers are per thread and reused, and a multi-threaded
 * call reuses its argument holder, so a call in steady state allocates nothing. A C at most one
 * vector wide skips the loop nest: op(B) is packed once by the caller and row blocks of C are
 * computed from the caller's A ({@link GemmPrecision#narrowRows}), split by rows between threads.
 */
final class GemmDriver {
    /**
     * Products of at most this many multiply-adds skip packing and the pool ({@link
     * GemmPrecision#small}), whatever their shape: its scalar loops measured 2-3x faster than
     * packing on the products of a small network (64x5x2, 5x2x64 TN: ~0.25 us against ~0.7 us)
     * and even at about 1000 (8x8x8), but 2x slower by 12x12x12. {@code -Dember.gemm.smallWork}
     * overrides it (for tuning).
     */
    static final long SMALL_WORK = Long.getLong("ember.gemm.smallWork", 1024);
    /**
     * With an untransposed B at least one vector wide, the unpacked path runs on vectors and stays
     * ahead of packing up to about 48x48x48 (3.2 us against 4.8), level at 64x64x64: this many
     * multiply-adds. {@code -Dember.gemm.smallRowsWork} overrides it.
     */
    static final long SMALL_ROWS_WORK = Long.getLong("ember.gemm.smallRowsWork", 64L * 64 * 32);
    /**
     * At most this many rows of C (a single example's forward pass is one) run unpacked whatever the
     * work: packing B would cost as much as the product, which reads each element of B once per
     * four rows and is bound by memory, not arithmetic, and it needs no pack buffers. Fewer than
     * four rows run unpacked at any width.
     */
    static final int FEW_ROWS = Integer.getInteger("ember.gemm.fewRows", 4);
    /**
     * Rows of C the unpacked path builds together from each load of B ({@code SmallGemm.rowsOfB});
     * fewer rows than this are built one by one, which is safe and fast at any width.
     */
    static final int ROW_GROUP = 4;

    private final Parallel parallel;
    private final GemmPrecision precision;
    private final int mr;
    private final int nr;
    private final GemmBlocking blocking;
    /** Idle pack buffers: a call takes one for as long as it packs, so no thread keeps its own. */
    private final IdlePool<Workspace> workspaces;
    /** An idle argument holder for a multi-threaded call; concurrent callers make their own. */
    private final AtomicReference<Call> spare = new AtomicReference<>();

    GemmDriver(Parallel parallel, GemmPrecision precision) {
        this.parallel = parallel;
        this.precision = precision;
        this.mr = precision.mr;
        this.nr = precision.nr;
        this.blocking = precision.blocking;
        this.workspaces = new IdlePool<>(2 * parallel.threads() + 2, () -> new Workspace(precision));
    }

    /** {@code C = alpha op(A) op(B) + beta C}; the arrays are {@code float[]} or {@code double[]} per the precision. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Object a, int aOff, int lda,
              Object b, int bOff, int ldb, double beta, Object c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0 || alpha == 0) {
            precision.scale(m, n, beta, c, cOff, ldc);
            return;
        }
        long work = (long) m * n * k;
        if (work <= SMALL_WORK
                || (!transB && (m < ROW_GROUP || n >= precision.lanes && (m <= FEW_ROWS || work <= SMALL_ROWS_WORK)))) {
            precision.small(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int grid = GemmPartition.grid(m, n, k, parallel.threads(), mr, nr);
        int rows = grid >>> 16, cols = grid & 0xFFFF;
        if (n > precision.lanes && rows * cols == 1) {
            block(transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, 0, m, 0, n);
            return;
        }
        Workspace narrow = n <= precision.lanes ? workspaces.take() : null;
        try {
            Object packedB = null;
            if (narrow != null) {   // one vector wide: B packed once here, A read in place
                packedB = narrow.b(k * precision.lanes);
                precision.narrowPackB(transB, n, k, alpha, b, bOff, ldb, packedB);
                if (rows == 1) {
                    precision.narrowRows(transA, 0, m, n, k, a, aOff, lda, packedB, beta, c, cOff, ldc, narrow.edge);
                    return;
                }
            }
            Call call = spare.getAndSet(null);
            if (call == null) {
                call = new Call();
            }
            try {
                call.set(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, rows, cols);
                call.packedB = packedB;
                parallel.forEachPart(rows * cols, call);
            } finally {
                call.clear();
                spare.set(call);
            }
        } finally {
            if (narrow != null) {
                workspaces.give(narrow);
            }
        }
    }

    /**
     * The blocked loop nest for {@code C[i0:i1, j0:j1]}, on the calling thread. A strip of up to
     * {@code ms} rows of op(A) is packed once per {@code kc}-deep slice and then serves every
     * {@code nc}-wide panel of op(B), so A is packed once however narrow the B panels are.
     */
    private void block(boolean transA, boolean transB, int k, double alpha, Object a, int aOff, int lda,
                       Object b, int bOff, int ldb, double beta, Object c, int cOff, int ldc,
                       int i0, int i1, int j0, int j1) {
        GemmPrecision precision = this.precision;
        int kcMax = GemmBlocking.balanced(k, blocking.kc(), 1);
        int mcMax = GemmBlocking.balanced(i1 - i0, blocking.mc(), mr);
        int ncMax = GemmBlocking.balanced(j1 - j0, blocking.nc(), nr);
        int msMax = Math.min(GemmBlocking.roundUp(i1 - i0, mcMax), Math.max(mcMax, blocking.ms() / mcMax * mcMax));
        Workspace ws = workspaces.take();
        try {
            blockWith(ws, transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, i0, i1,
                    j0, j1, kcMax, mcMax, ncMax, msMax);
        } finally {
            workspaces.give(ws);
        }
    }

    private void blockWith(Workspace ws, boolean transA, boolean transB, int k, double alpha, Object a, int aOff,
                           int lda, Object b, int bOff, int ldb, double beta, Object c, int cOff, int ldc,
                           int i0, int i1, int j0, int j1, int kcMax, int mcMax, int ncMax, int msMax) {
        GemmPrecision precision = this.precision;
        Object packedA = ws.a(msMax * kcMax);
        Object packedB = ws.b(kcMax * ncMax);
        for (int is = i0; is < i1; is += msMax) {
            int ms = Math.min(msMax, i1 - is);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                boolean overwrite = pc == 0 && beta == 0;
                double scaleC = pc == 0 ? beta : 1;
                precision.packA(transA, alpha, a, aOff, lda, is, ms, pc, kc, packedA, ws.index);
                for (int jc = j0; jc < j1; jc += ncMax) {
                    int nc = Math.min(ncMax, j1 - jc);
                    precision.packB(transB, b, bOff, ldb, pc, kc, jc, nc, packedB, ws.index);
                    for (int ic = is; ic < is + ms; ic += mcMax) {
                        int mc = Math.min(mcMax, is + ms - ic);
                        precision.macroKernel(mc, nc, kc, packedA, (ic - is) * kc, packedB, c,
                                cOff + ic * ldc + jc, ldc, overwrite, scaleC, ws.edge);
                    }
                }
            }
        }
    }

    /** The arguments of one multi-threaded call; part {@code p} computes its rectangle of C. */
    private final class Call implements IntConsumer {
        private boolean transA;
        private boolean transB;
        private int m;
        private int n;
        private int k;
        private double alpha;
        private Object a;
        private int aOff;
        private int lda;
        private Object b;
        private int bOff;
        private int ldb;
        private double beta;
        private Object c;
        private int cOff;
        private int ldc;
        private int rows;
        private int cols;
        /** A narrow call's B, packed by the caller ({@link GemmPrecision#narrowPackB}); null otherwise. */
        private Object packedB;

        void set(boolean transA, boolean transB, int m, int n, int k, double alpha, Object a, int aOff, int lda,
                 Object b, int bOff, int ldb, double beta, Object c, int cOff, int ldc, int rows, int cols) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.rows = rows;
            this.cols = cols;
        }

        /** Drops the operands so an idle holder keeps no caller's arrays alive. */
        void clear() {
            a = null;
            b = null;
            c = null;
            packedB = null;
        }

        @Override
        public void accept(int part) {
            int row = part / cols, col = part % cols;
            if (packedB != null) {
                Workspace ws = workspaces.take();
                try {
                    precision.narrowRows(transA, GemmPartition.bound(row, rows, m, mr),
                            GemmPartition.bound(row + 1, rows, m, mr), n, k, a, aOff, lda, packedB, beta, c, cOff,
                            ldc, ws.edge);
                } finally {
                    workspaces.give(ws);
                }
                return;
            }
            block(transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                    GemmPartition.bound(row, rows, m, mr), GemmPartition.bound(row + 1, rows, m, mr),
                    GemmPartition.bound(col, cols, n, nr), GemmPartition.bound(col + 1, cols, n, nr));
        }
    }

    /** Pack buffers for one call at a time, grown on demand and kept. */
    private static final class Workspace {
        private final GemmPrecision precision;
        final Object edge;
        final int[] index = new int[GemmPrecision.GATHER_LANES];
        private Object a;
        private Object b;

        Workspace(GemmPrecision precision) {
            this.precision = precision;
            this.edge = precision.allocate(precision.mr * precision.nr);
            this.a = precision.allocate(0);
            this.b = precision.allocate(0);
        }

        Object a(int size) {
            return precision.length(a) >= size ? a : (a = precision.allocate(size));
        }

        Object b(int size) {
            return precision.length(b) >= size ? b : (b = precision.allocate(size));
        }
    }
}
