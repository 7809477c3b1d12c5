package dev.ember.bench.jmh;

import dev.ember.bench.BenchBackends;
import dev.ember.core.DType;
import dev.ember.core.spi.Activation;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Distribution;
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
 * The non-GEMM kernels of a training step at network sizes: activations, softmax, batch norm, and
 * a dense layer's bias + ReLU as two passes and fused into one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class LayerKernelsBenchmark {
    @Param({"cpu"})
    public String backend;

    @Param({"F32", "F64"})
    public String dtype;

    @Param({"1", "2"})
    public int threads;

    /** Batch rows x feature columns. */
    @Param({"128x256", "128x10"})
    public String matrix;

    private Backend instance;
    private int rows;
    private int cols;
    private Span x;
    private Span y;
    private Span dy;
    private Span dx;
    private Span gamma;
    private Span beta;
    private Span runningMean;
    private Span runningVar;
    private Span savedMean;
    private Span savedInvStd;
    private Span dgamma;
    private Span dbeta;
    private Operand xOperand;
    private Operand biasRow;
    private DeviceBuffer[] buffers;

    @Setup
    public void setUp() {
        instance = BenchBackends.open(backend, threads);
        String[] rc = matrix.split("x");
        rows = Integer.parseInt(rc[0]);
        cols = Integer.parseInt(rc[1]);
        DType type = DType.valueOf(dtype);
        int n = rows * cols;
        buffers = new DeviceBuffer[] {
            instance.allocate(type, n), instance.allocate(type, n), instance.allocate(type, n),
            instance.allocate(type, n), instance.allocate(type, cols), instance.allocate(type, cols),
            instance.allocate(type, cols), instance.allocate(type, cols), instance.allocate(type, cols),
            instance.allocate(type, cols), instance.allocate(type, cols), instance.allocate(type, cols)};
        x = Span.of(buffers[0]);
        y = Span.of(buffers[1]);
        dy = Span.of(buffers[2]);
        dx = Span.of(buffers[3]);
        gamma = Span.of(buffers[4]);
        beta = Span.of(buffers[5]);
        runningMean = Span.of(buffers[6]);
        runningVar = Span.of(buffers[7]);
        savedMean = Span.of(buffers[8]);
        savedInvStd = Span.of(buffers[9]);
        dgamma = Span.of(buffers[10]);
        dbeta = Span.of(buffers[11]);
        xOperand = Operand.dense(x, cols);
        biasRow = Operand.row(beta);
        instance.random(Distribution.NORMAL, 0, 1, 3, 1, x, n);
        instance.random(Distribution.NORMAL, 0, 1, 3, 2, dy, n);
        instance.fill(gamma, cols, 1);
        instance.fill(runningVar, cols, 1);
    }

    @Benchmark
    public void reluForwardBackward() {
        instance.activation(Activation.RELU, 0, x, y, rows * cols);
        instance.activationBackward(Activation.RELU, 0, x, y, dy, dx, rows * cols);
        instance.synchronize();
    }

    /** A dense layer's tail as two passes: the bias added over the rows, then the ReLU. */
    @Benchmark
    public void biasThenRelu() {
        instance.binary(BinaryOp.ADD, rows, cols, xOperand, biasRow, y);
        instance.activation(Activation.RELU, 0, y, y, rows * cols);
        instance.synchronize();
    }

    /** The same in one fused pass ({@code Backend.biasActivation}). */
    @Benchmark
    public void biasReluFused() {
        instance.biasActivation(Activation.RELU, 0, x, beta, y, rows, cols);
        instance.synchronize();
    }

    @Benchmark
    public void sigmoidForwardBackward() {
        instance.activation(Activation.SIGMOID, 0, x, y, rows * cols);
        instance.activationBackward(Activation.SIGMOID, 0, x, y, dy, dx, rows * cols);
        instance.synchronize();
    }

    @Benchmark
    public void tanhForwardBackward() {
        instance.activation(Activation.TANH, 0, x, y, rows * cols);
        instance.activationBackward(Activation.TANH, 0, x, y, dy, dx, rows * cols);
        instance.synchronize();
    }

    @Benchmark
    public void softmaxForwardBackward() {
        instance.softmax(false, x, y, rows, cols);
        instance.softmaxBackward(false, y, dy, dx, rows, cols);
        instance.synchronize();
    }

    @Benchmark
    public void batchNormForwardBackward() {
        instance.batchNormTraining(rows, cols, x, gamma, beta, 1e-5, 0.99, runningMean, runningVar, y, savedMean,
                savedInvStd);
        instance.batchNormBackward(rows, cols, x, dy, gamma, savedMean, savedInvStd, dx, dgamma, dbeta);
        instance.synchronize();
    }

    @TearDown
    public void tearDown() {
        for (DeviceBuffer b : buffers) {
            instance.free(b);
        }
        instance.close();
    }
}
