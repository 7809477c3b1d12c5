package dev.ember.core.trace;

import dev.ember.core.DType;
import dev.ember.core.LiveScalar;
import dev.ember.core.spi.Activation;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.Expression;
import dev.ember.core.spi.MemoryStats;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.ReduceOp;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.UnaryOp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The backend a traced function talks to while it is traced: every computing call runs at once on
 * the real backend (so the tracing call computes real results) and is appended to the recording as
 * a {@link Call}. Buffers allocated while recording are tracked; a buffer freed while recording is
 * not freed but kept for the plan (it is a temporary of the step, which the plan will reuse), while
 * one still in use when the recording ends (outputs, state an optimiser created on its first step)
 * stays with its owner. Reading device data back to the host fails: a traced function cannot
 * depend on values it would only see at trace time.
 */
public final class Recording implements Backend {
    private final Backend target;
    private final String function;
    private final List<Call> calls = new ArrayList<>();
    /** Buffers allocated while recording; those also freed while recording are the step's temporaries. */
    private final Set<DeviceBuffer> allocated = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<DeviceBuffer> released = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean finished;

    /** @param function the traced function's name, for error messages */
    public Recording(Backend target, String function) {
        this.target = target;
        this.function = function;
    }

    /** The traced function's name. */
    String function() {
        return function;
    }

    /** The backend the recorded calls run on. */
    public Backend target() {
        return target;
    }

    /** Runs {@code call} on the real backend and records it. */
    public void record(Call call) {
        checkRecording(call.name());
        call.run(target);
        calls.add(call);
    }

    /** Ends the recording: later frees go straight to the backend. */
    synchronized void finish() {
        finished = true;
    }

    /** Ends a failed recording, freeing the temporaries it was keeping. */
    public synchronized void abandon() {
        finished = true;
        released.forEach(target::free);
        allocated.clear();
        released.clear();
        calls.clear();
    }

    List<Call> calls() {
        return calls;
    }

    synchronized Set<DeviceBuffer> allocated() {
        return allocated;
    }

    synchronized Set<DeviceBuffer> released() {
        return released;
    }

    private void checkRecording(String operation) {
        if (finished) {
            throw new IllegalStateException("trace '" + function + "': " + operation
                    + " on a tensor of the trace after tracing ended");
        }
    }

    // ---------------------------------------------------------------- identity and memory

    @Override
    public String name() {
        return target.name();
    }

    @Override
    public String device() {
        return target.device();
    }

    @Override
    public void close() {
        throw new IllegalStateException("trace '" + function + "': the backend cannot be closed inside a traced function");
    }

    @Override
    public synchronized DeviceBuffer allocate(DType dtype, int length) {
        DeviceBuffer b = target.allocate(dtype, length);
        if (!finished) {
            allocated.add(b);
        }
        return b;
    }

    @Override
    public synchronized void free(DeviceBuffer buffer) {
        if (!finished && allocated.contains(buffer)) {
            released.add(buffer);   // a temporary of the step: the plan frees it
        } else {
            target.free(buffer);
        }
    }

    @Override
    public MemoryStats memory() {
        return target.memory();
    }

    @Override
    public void noteReclaimedByCleaner() {
        target.noteReclaimedByCleaner();
    }

    @Override
    public void write(Span dst, float[] src, int srcOffset, int length) {
        record(new Calls.Write(dst, src, srcOffset, length));
    }

    @Override
    public void write(Span dst, double[] src, int srcOffset, int length) {
        record(new Calls.Write(dst, src, srcOffset, length));
    }

    @Override
    public void read(Span src, float[] dst, int dstOffset, int length) {
        throw hostRead();
    }

    @Override
    public void read(Span src, double[] dst, int dstOffset, int length) {
        throw hostRead();
    }

    private IllegalStateException hostRead() {
        return new IllegalStateException("trace '" + function + "': a traced function cannot read device values"
                + " to the host (item, toDoubleArray, ...): a replay would not run that Java code; return the"
                + " tensor from the function and read it after the call");
    }

    @Override
    public void synchronize() {
        target.synchronize();
    }

    // ---------------------------------------------------------------- recorded primitives

    @Override
    public void fill(Span dst, int length, double value) {
        record(new Calls.Fill(dst, length, value));
    }

    @Override
    public void copyStrided(Span src, int[] shape, int[] srcStrides, Span dst) {
        record(new Calls.CopyStrided(src, shape, srcStrides, dst));
    }

    @Override
    public void cast(Span src, Span dst, int length) {
        record(new Calls.Cast(src, dst, length));
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Span a, int lda, Span b,
                     int ldb, double beta, Span c, int ldc) {
        record(new Calls.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc));
    }

    @Override
    public void unary(UnaryOp op, double param, Span x, Span out, int length) {
        record(new Calls.Unary(op, param, x, out, length));
    }

    @Override
    public void binary(BinaryOp op, int rows, int cols, Operand a, Operand b, Span out) {
        record(new Calls.Binary(op, rows, cols, a, b, out));
    }

    @Override
    public void reduce(ReduceOp op, Span x, int outer, int length, int inner, Span out) {
        record(new Calls.Reduce(op, x, outer, length, inner, out));
    }

    @Override
    public void random(Distribution distribution, double a, double b, long seed, long stream, Span out, int length) {
        record(new Calls.Random(distribution, a, b, seed, LiveScalar.of(stream), out, length));
    }

    // ---------------------------------------------------------------- recorded derived operations

    @Override
    public void activation(Activation act, double alpha, Span x, Span y, int length) {
        record(new Calls.ActivationForward(act, alpha, x, y, length));
    }

    @Override
    public void activationBackward(Activation act, double alpha, Span x, Span y, Span dy, Span dx, int length) {
        record(new Calls.ActivationBackward(act, alpha, x, y, dy, dx, length));
    }

    @Override
    public void biasActivation(Activation act, double alpha, Span x, Span bias, Span y, int rows, int cols) {
        record(new Calls.BiasActivation(act, alpha, x, bias, y, rows, cols));
    }

    @Override
    public void softmax(boolean log, Span x, Span y, int rows, int cols) {
        record(new Calls.Softmax(log, x, y, rows, cols));
    }

    @Override
    public void softmaxBackward(boolean log, Span y, Span dy, Span dx, int rows, int cols) {
        record(new Calls.SoftmaxBackward(log, y, dy, dx, rows, cols));
    }

    @Override
    public void batchNormTraining(int rows, int cols, Span x, Span gamma, Span beta, double eps, double momentum,
                                  Span runningMean, Span runningVar, Span y, Span savedMean, Span savedInvStd) {
        record(new Calls.BatchNormTraining(rows, cols, x, gamma, beta, eps, momentum, runningMean, runningVar, y,
                savedMean, savedInvStd));
    }

    @Override
    public void batchNormInference(int rows, int cols, Span x, Span gamma, Span beta, Span runningMean,
                                   Span runningVar, double eps, Span y) {
        record(new Calls.BatchNormInference(rows, cols, x, gamma, beta, runningMean, runningVar, eps, y));
    }

    @Override
    public void batchNormBackward(int rows, int cols, Span x, Span dy, Span gamma, Span savedMean, Span savedInvStd,
                                  Span dx, Span dgamma, Span dbeta) {
        record(new Calls.BatchNormBackward(rows, cols, x, dy, gamma, savedMean, savedInvStd, dx, dgamma, dbeta));
    }

    @Override
    public void evaluate(Expression expression, int rows, int cols, Operand[] inputs, Span[] outputs) {
        record(new Calls.Evaluate(expression, rows, cols, inputs, outputs));
    }

    @Override
    public void sgdUpdate(Span param, Span grad, int length, double lr) {
        record(new Calls.Sgd(param, grad, length, LiveScalar.of(lr)));
    }

    @Override
    public void momentumUpdate(Span param, Span grad, Span velocity, int length, double lr, double beta) {
        record(new Calls.Momentum(param, grad, velocity, length, LiveScalar.of(lr), beta));
    }

    @Override
    public void rmspropUpdate(Span param, Span grad, Span meanSquare, int length, double lr, double beta,
                              double eps) {
        record(new Calls.RmsProp(param, grad, meanSquare, length, LiveScalar.of(lr), beta, eps));
    }

    @Override
    public void adamUpdate(Span param, Span grad, Span m, Span v, int length, double lr, double beta1, double beta2,
                           double eps, int step, double weightDecay) {
        record(new Calls.Adam(param, grad, m, v, length, LiveScalar.of(lr), beta1, beta2, eps, LiveScalar.of(step),
                weightDecay));
    }
}
