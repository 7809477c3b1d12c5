package dev.ember.bench.jmh;

import dev.ember.bench.BenchBackends;
import dev.ember.core.DType;
import dev.ember.core.spi.Activation;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.Span;
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
 * Memory-bound kernels on large vectors, next to the machine's copy bandwidth measured by the same
 * harness ({@link #arraycopy}): bandwidth = bytes moved / time, with {@code add} moving 3 elements
 * per index (two reads, one write) and the others 2.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Xmx4g"})
public class ElementwiseBenchmark {
    @Param({"cpu"})
    public String backend;

    @Param({"F32"})
    public String dtype;

    @Param({"2"})
    public int threads;

    @Param({"16777216"})
    public int length;

    private Backend instance;
    private DeviceBuffer x;
    private DeviceBuffer y;
    private DeviceBuffer out;
    // the call arguments are immutable descriptions, built once as a caller that repeats a call
    // would keep them, so -prof gc reports what the kernels allocate
    private Span xSpan;
    private Span outSpan;
    private Operand xOperand;
    private Operand yOperand;
    private int[] shape;
    private int[] strides;
    private float[] hostSrc;
    private float[] hostDst;

    @Setup
    public void setUp() {
        instance = BenchBackends.open(backend, threads);
        DType type = DType.valueOf(dtype);
        x = instance.allocate(type, length);
        y = instance.allocate(type, length);
        out = instance.allocate(type, length);
        instance.random(Distribution.NORMAL, 0, 1, 7, 1, Span.of(x), length);
        instance.random(Distribution.NORMAL, 0, 1, 7, 2, Span.of(y), length);
        xSpan = Span.of(x);
        outSpan = Span.of(out);
        xOperand = Operand.dense(xSpan, length);
        yOperand = Operand.dense(Span.of(y), length);
        shape = new int[] {length};
        strides = new int[] {1};
        hostSrc = new float[length];
        hostDst = new float[length];
    }

    /** The yardstick: the JVM's own copy of the same number of floats. */
    @Benchmark
    public float[] arraycopy() {
        System.arraycopy(hostSrc, 0, hostDst, 0, length);
        return hostDst;
    }

    @Benchmark
    public void add() {
        instance.binary(BinaryOp.ADD, 1, length, xOperand, yOperand, outSpan);
        instance.synchronize();
    }

    @Benchmark
    public void relu() {
        instance.activation(Activation.RELU, 0, xSpan, outSpan, length);
        instance.synchronize();
    }

    @Benchmark
    public void copy() {
        instance.copyStrided(xSpan, shape, strides, outSpan);
        instance.synchronize();
    }

    @TearDown
    public void tearDown() {
        instance.free(x);
        instance.free(y);
        instance.free(out);
        instance.close();
    }
}
