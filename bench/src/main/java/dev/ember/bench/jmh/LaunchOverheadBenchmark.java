package dev.ember.bench.jmh;

import dev.ember.bench.BenchBackends;
import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.UnaryOp;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What one kernel call costs when the work is nothing: a unary op on 16 elements. {@code launch}
 * enqueues only (asynchronous backends return at once), {@code launchAndWait} also waits, and
 * {@code launchAndRead} reads one element back — the price of a host round trip per step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class LaunchOverheadBenchmark {
    @Param({"cpu", "opencl"})
    public String backend;

    private Backend instance;
    private DeviceBuffer buffer;
    private Span span;
    private final float[] host = new float[1];

    @Setup
    public void setUp() {
        instance = BenchBackends.open(backend, 1);
        buffer = instance.allocate(DType.F32, 16);
        span = Span.of(buffer);
    }

    @Benchmark
    public void launch() {
        instance.unary(UnaryOp.MUL_SCALAR, 1.0, span, span, 16);
    }

    @Benchmark
    public void launchAndWait() {
        instance.unary(UnaryOp.MUL_SCALAR, 1.0, span, span, 16);
        instance.synchronize();
    }

    @Benchmark
    public float launchAndRead() {
        instance.unary(UnaryOp.MUL_SCALAR, 1.0, span, span, 16);
        instance.read(span, host, 0, 1);
        return host[0];
    }

    @TearDown
    public void tearDown() {
        instance.synchronize();
        instance.free(buffer);
        instance.close();
    }
}
