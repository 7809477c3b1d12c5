package dev.ember.bench.jmh;

import dev.ember.bench.BenchBackends;
import dev.ember.bench.ServingProblem;
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
 * Inference of the 784→256→128→10 softmax MLP (Dense + ReLU, Dense + ReLU, Dense, compiled with
 * categorical cross-entropy, so the predictions are softmax probabilities) on one batch of host
 * rows, per call: {@code api=predictInto} is the serving path {@code Model.predictInto(float[],
 * float[])}, {@code api=predict} the Tensor API ({@code model.predict(x)}, read into the same host
 * array, closed), for comparison ({@link ServingProblem}). Sample mode, so JMH reports the median
 * ({@code p0.50}) next to the mean. {@code ember bench serve} times the same calls next to numpy and
 * PyTorch.
 *
 * <p>Run it on one thread with the allocation profiler; {@code gc.alloc.rate.norm} is the bytes
 * allocated per call, by every thread of the JVM (the serving path's target is none in steady state):
 * <pre>
 * ./mvnw -B -DskipTests package -pl bench -am
 * LD_PRELOAD=$JAVA_HOME/lib/libjsig.so java --add-modules jdk.incubator.vector \
 *     -jar bench/target/benchmarks.jar ServingBenchmark -p threads=1 -p api=predictInto -prof gc \
 *     -f 1 -wi 5 -i 5 -w 1s -r 1s
 * </pre>
 * JMH's own threads allocate at a small steady rate, more in sample mode (it records every sample)
 * than in average-time mode; divided by the calls per second, that shows up as a few bytes, or tens
 * at batch 256, in {@code gc.alloc.rate.norm}. Add {@code -bm avgt} for the allocation figure with
 * the least of it; {@code ember bench serve} counts the calling thread's bytes alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ServingBenchmark {
    @Param({"cpu"})
    public String backend;

    @Param({"1"})
    public int threads;

    /** Examples per call. */
    @Param({"1", "256"})
    public int batch;

    /** {@code predictInto} (the serving path) or {@code predict} (the Tensor API). */
    @Param({"predictInto", "predict"})
    public String api;

    private Backend instance;
    private ServingProblem problem;
    private ServingProblem.Api call;

    @Setup
    public void setUp() {
        call = ServingProblem.Api.parse(api);
        instance = BenchBackends.open(backend, threads);
        problem = new ServingProblem(instance, batch);
    }

    /** One call; returns the probabilities so that the work cannot be eliminated. */
    @Benchmark
    public float[] serve() {
        problem.run(call);
        return problem.out();
    }

    @TearDown
    public void tearDown() {
        problem.close();
        instance.close();
    }
}
