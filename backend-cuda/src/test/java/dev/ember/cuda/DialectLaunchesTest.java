package dev.ember.cuda;

import dev.ember.core.DType;
import dev.ember.core.spi.Activation;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.Expression;
import dev.ember.core.spi.MemoryStats;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.ReduceOp;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.UnaryOp;
import dev.ember.gpu.DialectBackend;
import dev.ember.gpu.KernelArgs;
import dev.ember.gpu.LaunchGrid;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every kernel the Java side launches is an {@code .entry} of the PTX with the parameter count it
 * passes. The host side of the shared kernels ({@link DialectBackend}) is driven through every
 * operation against a recording backend, no device needed, and each launch it makes is looked up in
 * the module the CUDA backend would load for it.
 */
class DialectLaunchesTest {
    @Test
    void everySharedKernelLaunchMatchesItsPtxEntry() {
        for (DType dtype : DType.values()) {
            Map<String, Integer> launched = new Recorder().runEveryOperation(dtype);
            assertThat(launched).as("%s launches", dtype).hasSizeGreaterThan(20);
            KernelImages images = KernelImages.load();
            if (!images.built()) {   // a build without nvcc: nothing to compare with, and the jar says why
                assertThatThrownBy(() -> images.ptx(KernelImages.F32)).hasMessageContaining("not built");
                continue;
            }
            Map<String, PtxEntries.Entry> entries = PtxEntries.of(KernelImages.load().ptx(
                    dtype == DType.F32 ? KernelImages.F32 : KernelImages.F64));
            Map<String, PtxEntries.Entry> f64 = PtxEntries.of(KernelImages.load().ptx(KernelImages.F64));
            launched.forEach((kernel, params) -> {
                Map<String, PtxEntries.Entry> module = kernel.startsWith("ember_cast_") ? f64 : entries;
                assertThat(module).as("%s kernel %s", dtype, kernel).containsKey(kernel);
                assertThat(module.get(kernel).paramTypes()).as("%s kernel %s parameters", dtype, kernel)
                        .hasSize(params);
            });
        }
    }

    /** A backend whose launches record the kernel and the number of parameters passed, and run nothing. */
    private static final class Recorder extends DialectBackend<FakeBuffer> {
        private final Map<String, Integer> launched = new TreeMap<>();

        Recorder() {
            super(FakeBuffer.class, b -> false, new LaunchGrid(1024, 132, false));
        }

        Map<String, Integer> runEveryOperation(DType dtype) {
            FakeBuffer other = new FakeBuffer(this, dtype == DType.F32 ? DType.F64 : DType.F32, 4096);
            Span[] s = new Span[8];
            for (int i = 0; i < s.length; i++) {
                s[i] = new Span(new FakeBuffer(this, dtype, 4096), 0);
            }
            fill(s[0], 16, 1.5);
            copyStrided(s[0], new int[] {4, 4}, new int[] {1, 4}, s[1]);
            cast(s[0], s[1], 16);
            cast(s[0], new Span(other, 0), 16);
            cast(new Span(other, 0), s[0], 16);
            unary(UnaryOp.EXP, 0, s[0], s[1], 16);
            binary(BinaryOp.ADD, 4, 4, new Operand(s[0], 4, 1), new Operand(s[1], 0, 1), s[2]);
            reduce(ReduceOp.SUM, s[0], 1, 256, 1, s[1]);   // few long rows: a work-group per output
            reduce(ReduceOp.SUM, s[0], 64, 8, 1, s[1]);    // many short ones: a work-item per output
            activation(Activation.RELU, 0, s[0], s[1], 16);
            activationBackward(Activation.RELU, 0, s[0], s[1], s[2], s[3], 16);
            biasActivation(Activation.RELU, 0, s[0], s[1], s[2], 4, 4);
            softmax(false, s[0], s[1], 4, 4);
            softmaxBackward(false, s[0], s[1], s[2], 4, 4);
            batchNormTraining(4, 4, s[0], s[1], s[2], 1e-5, 0.9, s[3], s[4], s[5], s[6], s[7]);
            batchNormInference(4, 4, s[0], s[1], s[2], s[3], s[4], 1e-5, s[5]);
            batchNormBackward(4, 4, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]);
            random(Distribution.NORMAL, 0, 1, 42, 0, s[0], 16);
            sgdUpdate(s[0], s[1], 16, 0.1);
            momentumUpdate(s[0], s[1], s[2], 16, 0.1, 0.9);
            rmspropUpdate(s[0], s[1], s[2], 16, 0.1, 0.9, 1e-7);
            adamUpdate(s[0], s[1], s[2], s[3], 16, 0.1, 0.9, 0.999, 1e-7, 1, 0);
            adamUpdates(new Span[] {s[0], s[4]}, new Span[] {s[1], s[5]}, new Span[] {s[2], s[6]},
                    new Span[] {s[3], s[7]}, new int[] {16, 8}, 0.1, 0.9, 0.999, 1e-7, 1, 0);
            return launched;
        }

        @Override
        protected KernelArgs launch(DType dtype, String kernel) {
            return new Recording(kernel);
        }

        @Override
        protected KernelArgs castLaunch(String kernel) {
            return new Recording(kernel);
        }

        @Override
        protected KernelArgs expressionLaunch(Expression expression, DType dtype) {
            throw new UnsupportedOperationException("rendered kernels are checked by RenderedKernelNvccTest");
        }

        private final class Recording implements KernelArgs {
            private final String kernel;
            private int params;

            Recording(String kernel) {
                this.kernel = kernel;
            }

            @Override
            public KernelArgs span(Span s) {
                params += 2;
                return this;
            }

            @Override
            public KernelArgs buffer(DeviceBuffer buffer, int offset) {
                params += 2;
                return this;
            }

            @Override
            public KernelArgs i(int v) {
                params++;
                return this;
            }

            @Override
            public KernelArgs real(double v) {
                params++;
                return this;
            }

            @Override
            public void run(long[] global, long[] local) {
                Integer before = launched.put(kernel, params);
                assertThat(before == null || before == params).as("%s always gets the same number of arguments",
                        kernel).isTrue();
            }
        }

        // ------------------------------------------------------------ what the shared kernels do not use

        @Override
        public String name() {
            return "recorder";
        }

        @Override
        public String device() {
            return "none";
        }

        @Override
        public void close() {
        }

        @Override
        public DeviceBuffer allocate(DType dtype, int length) {
            return new FakeBuffer(this, dtype, length);
        }

        @Override
        public void free(DeviceBuffer buffer) {
        }

        @Override
        public MemoryStats memory() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void noteReclaimedByCleaner() {
        }

        @Override
        public void write(Span dst, float[] src, int srcOffset, int length) {
        }

        @Override
        public void write(Span dst, double[] src, int srcOffset, int length) {
        }

        @Override
        public void read(Span src, float[] dst, int dstOffset, int length) {
        }

        @Override
        public void read(Span src, double[] dst, int dstOffset, int length) {
        }

        @Override
        public void synchronize() {
        }

        @Override
        protected void checkedGemm(DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha,
                                   Span a, int lda, Span b, int ldb, double beta, Span c, int ldc) {
        }
    }

    private record FakeBuffer(Recorder backend, DType dtype, int length) implements DeviceBuffer {
    }
}
