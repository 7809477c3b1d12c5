package dev.ember.nn.testing;

import dev.ember.core.DType;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.Distribution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of every nn suite that runs on a backend: the suite is written once against {@link #backend()}
 * and runs once per backend discovered on the test class path (plus any named in {@code -Dember.require}),
 * so adding a backend module touches nothing here. The annotations are inherited by every subclass.
 * A backend that cannot run here skips each test with its probe's reason, or fails it when required.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.ember.core.conformance.ConformanceSupport#underTest")
public abstract class BackendTest {
    /** The backend this invocation runs on: {@code cpu}, {@code opencl}, ... */
    @Parameter
    private String backendName;
    private Backend backend;
    private long liveAtStart;

    protected String backendName() {
        return backendName;
    }

    @BeforeEach
    public void resolveBackend() {
        backend = TestBackends.byName(backendName());
        liveAtStart = backend.memory().liveBuffers();
    }

    /** Every test must free what it allocates: a leak fails the test that caused it. */
    @AfterEach
    public void noLeakedBuffers() {
        if (backend != null) {
            assertThat(backend.memory().liveBuffers()).as("live buffers after the test (leak)").isEqualTo(liveAtStart);
        }
    }

    protected Backend backend() {
        return backend;
    }

    protected Tensor f64(double[] data, int... dims) {
        return Tensor.of(backend, data, dims);
    }

    protected Tensor f32(float[] data, int... dims) {
        return Tensor.of(backend, data, dims);
    }

    /** Normal(0, 1) values from a fixed stream, in F64. */
    protected Tensor randn(long stream, int... dims) {
        return Tensor.random(backend, DType.F64, Distribution.NORMAL, 0, 1, 42, stream, dims);
    }

    protected Tensor uniform(long stream, double lo, double hi, int... dims) {
        return Tensor.random(backend, DType.F64, Distribution.UNIFORM, lo, hi, 42, stream, dims);
    }

    protected long liveBuffers() {
        return backend.memory().liveBuffers();
    }
}
