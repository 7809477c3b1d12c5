package dev.ember.cuda;

import dev.ember.core.DType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The GEMM kernel and launch geometry for one product {@code C = alpha op(A) op(B) + beta C} (row-major,
 * element offsets and leading dimensions, as {@link dev.ember.core.spi.Backend#gemm} defines it). Every
 * GEMM kernel takes the same 14 parameters, {@code (M, N, K, alpha, A, aoff, lda, B, boff, ldb, beta, C,
 * coff, ldc)}, with alpha and beta in the product's element type, and runs a one-dimensional grid of
 * 256-thread blocks, one block per tile of C.
 *
 * <p>Three families, in {@link #MODULE} ({@code gemm.ptx}) and {@link #TF32_MODULE} ({@code gemm_tf32.ptx}):
 * <ul>
 *   <li>{@code ember_gemm_{f32,f64}_{nn,nt,tn,tt}}: 64 x 64 tiles, any shape, offsets and leading
 *       dimensions;</li>
 *   <li>{@code ember_sgemm_big_{nn,nt,tn,tt}}: F32, 128 x 128 tiles with float4 accesses, for large
 *       products meeting {@link #vectorisable};</li>
 *   <li>{@code ember_sgemm_tf32_{nn,nt,tn,tt}}: F32 through TF32 tensor cores (inputs rounded to 10
 *       mantissa bits), only when the caller allows TF32, on compute capability 8.0 or newer, under the
 *       same conditions. It needs {@link #TF32_SHARED_BYTES} of dynamic shared memory, above the default
 *       48 KiB: the host raises {@code CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES} to
 *       {@link #sharedBytes} before launching it.</li>
 * </ul>
 * The suffix names op(A) then op(B): {@code n} the matrix as stored, {@code t} its transpose. This class
 * is the single place where the fast kernels' preconditions are checked; the kernels trust it.
 *
 * @param kernel the kernel's name in its module
 * @param gridX blocks along x: one per tile of C
 * @param gridY blocks along y (1)
 * @param gridZ blocks along z (1)
 * @param blockX threads a block along x ({@value #THREADS})
 * @param blockY threads a block along y (1)
 * @param blockZ threads a block along z (1)
 * @param sharedBytes dynamic shared memory a block, in bytes
 */
public record GemmPlan(String kernel, int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ,
                       int sharedBytes) {
    /** The module of the general and the fast F32 kernels ({@code gemm.ptx}). */
    public static final String MODULE = "gemm";

    /** The module of the TF32 tensor-core kernels ({@code gemm_tf32.ptx}). */
    public static final String TF32_MODULE = "gemm_tf32";

    /** Threads in every GEMM block (the kernels' {@code __launch_bounds__}). */
    public static final int THREADS = 256;

    /** Rows and columns of C a general kernel's block computes. */
    public static final int GENERAL_TILE = 64;

    /** Rows and columns of C a fast (big or TF32) kernel's block computes. */
    public static final int FAST_TILE = 128;

    /** Dynamic shared memory of the TF32 kernels: two stages of two 4608-float tiles (gemm_tf32.cu's SMEM_BYTES). */
    public static final int TF32_SHARED_BYTES = 73728;

    /**
     * Fewest 128 x 128 tiles of C for which a fast kernel is chosen: about one per multiprocessor of an
     * H100/H200-class GPU (132). Below that the general kernel's four times as many blocks keep more
     * multiprocessors busy.
     */
    static final int MIN_FAST_TILES = 128;

    /** Shortest k for which a fast kernel is chosen: one TF32 step (gemm_tf32.cu's BK). */
    static final int MIN_FAST_K = 32;

    /** Parameters of every GEMM kernel: (M, N, K, alpha, A, aoff, lda, B, boff, ldb, beta, C, coff, ldc). */
    public static final int PARAMS = 14;

    private static final String[] SUFFIXES = {"nn", "nt", "tn", "tt"};

    /** Every GEMM kernel's name mapped to its parameter count ({@value #PARAMS}), general kernels first. */
    public static final Map<String, Integer> KERNEL_PARAMS = kernelParams();

    /**
     * Chooses the kernel and launch for one product. {@code m} and {@code n} are at least 1 (an empty
     * product launches nothing), {@code k} at least 0; the other arguments are the ones
     * {@link dev.ember.core.spi.Backend#gemm} received, already validated by the core.
     *
     * @param tf32Allowed whether the caller accepts TF32 products for F32 (an opt-in: less precise)
     * @param computeCapabilityMajor the device's compute capability major version (TF32 needs 8)
     */
    public static GemmPlan choose(DType dtype, boolean transA, boolean transB, int m, int n, int k,
                                  int aoff, int lda, int boff, int ldb, int coff, int ldc,
                                  boolean tf32Allowed, int computeCapabilityMajor) {
        if (dtype == null) {
            throw new IllegalArgumentException("gemm plan: dtype is null");
        }
        if (m < 1 || n < 1 || k < 0) {
            throw new IllegalArgumentException("gemm plan: m and n must be >= 1 and k >= 0 (an empty product "
                    + "launches nothing), got m=" + m + ", n=" + n + ", k=" + k);
        }
        String suffix = SUFFIXES[(transA ? 2 : 0) + (transB ? 1 : 0)];
        boolean fast = dtype == DType.F32
                && vectorisable(m, n, k, aoff, lda, boff, ldb, coff, ldc)
                && tiles(m, FAST_TILE) * tiles(n, FAST_TILE) >= MIN_FAST_TILES
                && k >= MIN_FAST_K;
        if (fast && tf32Allowed && computeCapabilityMajor >= 8) {
            return launch("ember_sgemm_tf32_" + suffix, m, n, FAST_TILE, TF32_SHARED_BYTES);
        }
        if (fast) {
            return launch("ember_sgemm_big_" + suffix, m, n, FAST_TILE, 0);
        }
        String type = dtype == DType.F32 ? "f32" : "f64";
        return launch("ember_gemm_" + type + "_" + suffix, m, n, GENERAL_TILE, 0);
    }

    /**
     * The fast kernels' preconditions on the arguments: M, N and K multiples of 4 with K >= 4, and every
     * offset and leading dimension a multiple of 4, so that each float4 access is 16-byte aligned (given
     * buffers whose base addresses are, as cuMemAlloc's 256-byte aligned ones) and lies wholly inside or
     * wholly outside its matrix.
     */
    static boolean vectorisable(int m, int n, int k, int aoff, int lda, int boff, int ldb, int coff, int ldc) {
        return k >= 4 && multiplesOf4(m, n, k, aoff, lda, boff, ldb, coff, ldc);
    }

    /** The module that holds {@link #kernel}. */
    public String module() {
        return moduleOf(kernel);
    }

    /** The module that holds a GEMM kernel, by the kernel's name. */
    public static String moduleOf(String kernel) {
        if (!KERNEL_PARAMS.containsKey(kernel)) {
            throw new IllegalArgumentException("gemm plan: no GEMM kernel named '" + kernel + "'");
        }
        return kernel.startsWith("ember_sgemm_tf32_") ? TF32_MODULE : MODULE;
    }

    /** Rows and columns of C one block computes. */
    public int tile() {
        return kernel.startsWith("ember_gemm_") ? GENERAL_TILE : FAST_TILE;
    }

    private static GemmPlan launch(String kernel, int m, int n, int tile, int sharedBytes) {
        long blocks = tiles(m, tile) * tiles(n, tile);
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("gemm plan: " + m + " x " + n + " needs " + blocks + " blocks of "
                    + tile + " x " + tile + ", more than a grid holds");
        }
        return new GemmPlan(kernel, (int) blocks, 1, 1, THREADS, 1, 1, sharedBytes);
    }

    private static long tiles(int size, int tile) {
        return ((long) size + tile - 1) / tile;
    }

    private static boolean multiplesOf4(int... values) {
        for (int v : values) {
            if (v % 4 != 0) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Integer> kernelParams() {
        Map<String, Integer> params = new LinkedHashMap<>();
        for (String family : new String[] {"ember_gemm_f32_", "ember_gemm_f64_", "ember_sgemm_big_", "ember_sgemm_tf32_"}) {
            for (String suffix : SUFFIXES) {
                params.put(family + suffix, PARAMS);
            }
        }
        return Collections.unmodifiableMap(params);
    }
}
