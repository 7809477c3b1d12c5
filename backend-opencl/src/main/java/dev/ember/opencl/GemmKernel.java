package dev.ember.opencl;

import dev.ember.core.DType;
import dev.ember.core.spi.Span;
import dev.ember.gpu.KernelSources;
import dev.ember.gpu.KernelSources.Dialect;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_program;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tiled GEMM of {@code gemm.cl} for one dtype, with tile sizes fitted to the device: the first
 * {@link Config} whose work-group and local-memory needs the device (and the compiled kernel) can
 * meet. {@code -Dember.opencl.gemm=TS_M,TS_N,TS_K,WPT_M,WPT_N} forces one, for tuning.
 */
final class GemmKernel {
    public static final String PROPERTY = "ember.opencl.gemm";
    /** Padding of the B tile's rows, against local-memory bank conflicts on GPUs. */
    static final int PAD = 1;

    /**
     * A work-group computes a {@code tsM x tsN} block of C from {@code tsK}-deep slices; each
     * work-item owns {@code wptM x wptN} outputs.
     */
    record Config(int tsM, int tsN, int tsK, int wptM, int wptN) {
        int threadsM() {
            return tsM / wptM;
        }

        int threadsN() {
            return tsN / wptN;
        }

        int threads() {
            return threadsM() * threadsN();
        }

        long localBytes(DType dtype) {
            return (long) (tsK * tsM + tsK * (tsN + PAD)) * dtype.bytes();
        }

        String options() {
            return String.format(Locale.ROOT, "-DTS_M=%d -DTS_N=%d -DTS_K=%d -DWPT_M=%d -DWPT_N=%d -DGEMM_PAD=%d",
                    tsM, tsN, tsK, wptM, wptN, PAD);
        }

        static Config parse(String s) {
            String[] p = s.split(",");
            if (p.length != 5) {
                throw new IllegalArgumentException("-D" + PROPERTY + " must be TS_M,TS_N,TS_K,WPT_M,WPT_N, got '" + s + "'");
            }
            Config c = new Config(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()),
                    Integer.parseInt(p[2].trim()), Integer.parseInt(p[3].trim()), Integer.parseInt(p[4].trim()));
            if (c.tsM % c.wptM != 0 || c.tsN % c.wptN != 0) {
                throw new IllegalArgumentException("-D" + PROPERTY + ": tiles must be multiples of the work per thread, got '" + s + "'");
            }
            return c;
        }
    }

    /**
     * GPU-style configurations, largest first; the smallest fits any OpenCL 1.2 device (64 work-items,
     * 1 KiB of local memory).
     */
    static final List<Config> CANDIDATES = List.of(
            new Config(64, 64, 16, 4, 4),   // 256 work-items, 16 outputs each
            new Config(32, 64, 16, 4, 4),   // 128
            new Config(32, 32, 16, 4, 4),   // 64
            new Config(16, 16, 8, 2, 2),    // 64
            new Config(8, 8, 8, 1, 1));     // 64

    /**
     * Tried first on CPU devices. PoCL runs the work-items of a group as scalar loops, so the cost is
     * per work-item: few work-items with big register blocks win (8x8 ran about twice as fast as 4x4
     * per core on PoCL 3.1; one output per work-item about seven times slower).
     */
    static final Config CPU_FIRST = new Config(64, 64, 16, 8, 8);

    /** Kernels by {@code (transA ? 2 : 0) + (transB ? 1 : 0)}: nn, nt, tn, tt. */
    private static final String[] NAMES = {"ember_gemm_nn", "ember_gemm_nt", "ember_gemm_tn", "ember_gemm_tt"};

    private final ClKernel[] kernels = new ClKernel[NAMES.length];
    private final Config config;

    GemmKernel(OpenClContext context, DeviceQueue queue, DType dtype, String dtypeOptions) {
        DeviceInfo device = context.device();
        List<String> rejected = new ArrayList<>();
        for (Config c : candidates(device, dtype)) {
            cl_program program = context.programs().get(KernelSources.program(Dialect.OPENCL, "gemm.cl"),
                    dtypeOptions + " " + c.options());
            ClKernel[] made = new ClKernel[NAMES.length];
            long limit = Long.MAX_VALUE;
            for (int i = 0; i < NAMES.length; i++) {
                try {
                    made[i] = new ClKernel(NAMES[i], CL.clCreateKernel(program, NAMES[i], null), dtype, queue);
                } catch (CLException e) {
                    throw ClErrors.wrap("clCreateKernel " + NAMES[i], e);
                }
                limit = Math.min(limit, kernelWorkGroupSize(made[i], device));
            }
            if (c.threads() <= limit) {
                System.arraycopy(made, 0, kernels, 0, made.length);
                this.config = c;
                return;
            }
            for (ClKernel k : made) {
                k.release();
            }
            rejected.add(c + " needs " + c.threads() + " work-items, the kernel allows " + limit);
        }
        throw new OpenClException("opencl: no GEMM tile configuration fits " + device.name() + ": " + rejected);
    }

    /** The configurations this device can hold, largest first (or the one forced by the property). */
    static List<Config> candidates(DeviceInfo device, DType dtype) {
        String forced = System.getProperty(PROPERTY);
        if (forced != null && !forced.isBlank()) {
            return List.of(Config.parse(forced));
        }
        List<Config> fit = new ArrayList<>();
        List<Config> order = new ArrayList<>(CANDIDATES);
        if (device.isCpu()) {
            order.addFirst(CPU_FIRST);
        }
        for (Config c : order) {
            if (c.threads() <= device.maxWorkGroupSize() && c.localBytes(dtype) <= device.localMemBytes()) {
                fit.add(c);
            }
        }
        if (fit.isEmpty()) {
            fit.add(CANDIDATES.getLast());
        }
        return fit;
    }

    Config config() {
        return config;
    }

    void run(boolean transA, boolean transB, int m, int n, int k, double alpha, Span a, int lda, Span b, int ldb,
             double beta, Span c, int ldc) {
        long groupsN = (n + config.tsN() - 1) / config.tsN();
        long groupsM = (m + config.tsM() - 1) / config.tsM();
        kernels[(transA ? 2 : 0) + (transB ? 1 : 0)].args().i(m).i(n).i(k).real(alpha)
                .span(a).i(lda).span(b).i(ldb).real(beta).span(c).i(ldc)
                .run(new long[] {groupsN * config.threadsN(), groupsM * config.threadsM()},
                        new long[] {config.threadsN(), config.threadsM()});
    }

    void release() {
        for (ClKernel k : kernels) {
            k.release();
        }
    }

    private static long kernelWorkGroupSize(ClKernel k, DeviceInfo device) {
        long[] size = new long[1];
        CL.clGetKernelWorkGroupInfo(k.handle(), device.device(), CL.CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t,
                Pointer.to(size), null);
        return size[0];
    }
}
