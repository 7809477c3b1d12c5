package dev.ember.bench.jmh;

import dev.ember.bench.BenchBackends;
import dev.ember.bench.TrainNetwork;
import dev.ember.bench.TrainStepProblem;
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
 * One F32 training step (forward, backward, Adam) through the nn model API — {@code Sequential},
 * {@code compile}, {@code trainStep} — of the 784→256→128→10 softmax MLP at batch 128 ({@code mlp})
 * and the 2→5→2→1 sigmoid net at batch 64 ({@code small}), eager and traced. {@code ember bench train}
 * times the same steps next to numpy and PyTorch.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TrainStepBenchmark {
    @Param({"cpu", "opencl"})
    public String backend;

    @Param({"1", "2"})
    public int threads;

    @Param({"mlp", "small"})
    public String network;

    /** {@code eager}, or {@code traced}: the step recorded once and replayed (run with {@code -prof gc} for its allocation). */
    @Param({"eager", "traced"})
    public String mode;

    private Backend instance;
    private TrainStepProblem problem;

    @Setup
    public void setUp() {
        instance = BenchBackends.open(backend, threads);
        problem = new TrainStepProblem(instance, TrainNetwork.parse(network), switch (mode) {
            case "eager" -> false;
            case "traced" -> true;
            default -> throw new IllegalArgumentException("mode: eager or traced, got " + mode);
        });
    }

    @Benchmark
    public void trainStep() {
        problem.step();
    }

    @TearDown
    public void tearDown() {
        problem.close();
        instance.close();
    }
}
