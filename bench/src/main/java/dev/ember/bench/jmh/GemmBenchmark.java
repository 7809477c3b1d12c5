package dev.ember.bench.jmh;

import dev.ember.bench.BenchBackends;
import dev.ember.bench.GemmProblem;
import dev.ember.bench.GemmShape;
import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
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
 * GEMM time per call; GFLOPS = 2·m·n·k / time. Squares and the shapes of a 784→256→128→10 MLP at
 * batch 128, forward ({@code NN}) and backward ({@code TN} for weight gradients, {@code NT} for
 * input gradients).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class GemmBenchmark {
    @Param({"cpu"})
    public String backend;

    @Param({"F32", "F64"})
    public String dtype;

    @Param({"1", "2"})
    public int threads;

    @Param({"256", "512", "1024", "2048",
            "128x256x784", "784x256x128:TN", "128x784x256:NT",
            "128x128x256", "256x128x128:TN", "128x256x128:NT"})
    public String shape;

    private Backend instance;
    private GemmProblem problem;

    @Setup
    public void setUp() {
        instance = BenchBackends.open(backend, threads);
        problem = new GemmProblem(instance, DType.valueOf(dtype), GemmShape.parse(shape));
    }

    @Benchmark
    public void gemm() {
        problem.run();
    }

    @TearDown
    public void tearDown() {
        problem.close();
        instance.close();
    }
}
