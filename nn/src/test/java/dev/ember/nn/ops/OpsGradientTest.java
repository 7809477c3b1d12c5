package dev.ember.nn.ops;

import dev.ember.core.spi.Activation;

import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.check.GradientCheck;
import dev.ember.nn.check.GradientCheckResult;
import dev.ember.nn.check.Verdict;
import dev.ember.nn.testing.BackendTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Finite-difference checks in F64 of every differentiable op, including broadcasting. */
class OpsGradientTest extends BackendTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    public void closeAll() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        toClose.clear();
    }

    private Variable var(String name, Tensor t) {
        Variable v = new Variable(name, t);
        toClose.add(v);
        return v;
    }

    private Variable normal(String name, long stream, int... dims) {
        return var(name, randn(stream, dims));
    }

    private Variable positive(String name, long stream, int... dims) {
        return var(name, uniform(stream, 0.5, 2.0, dims));
    }

    /** Checks {@code sum(op(inputs) * r)} for a fixed random {@code r}, so every output element matters. */
    private void check(Function<Tensor[], Tensor> op, Variable... inputs) {
        Tensor r;
        Tensor[] values = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            values[i] = inputs[i].value();
        }
        int[] dims;
        try (dev.ember.core.Scope _ = dev.ember.core.Scope.open()) {   // frees the probe's intermediates
            dims = op.apply(values).shape().dims();
        }
        r = randn(999, dims);
        toClose.add(r);
        GradientCheckResult result = GradientCheck.of(() -> {
            Tensor y = op.apply(values);
            return F.sum(F.mul(y, r));
        }, List.of(inputs)).run();
        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.GOOD);
    }

    @Test
    public void matmul() {
        check(t -> F.matmul(t[0], t[1]), normal("a", 1, 3, 4), normal("b", 2, 4, 5));
    }

    @Test
    public void denseWithAndWithoutBias() {
        check(t -> F.dense(t[0], t[1], t[2]), normal("x", 1, 6, 4), normal("w", 2, 4, 3), normal("b", 3, 3));
        check(t -> F.dense(t[0], t[1], null), normal("x2", 4, 2, 4), normal("w2", 5, 4, 3));
    }

    @Test
    public void denseWithAFusedActivation() {
        check(t -> F.dense(t[0], t[1], t[2], Activation.RELU, 0), normal("x", 1, 6, 4), normal("w", 2, 4, 3),
                normal("b", 3, 3));
        check(t -> F.dense(t[0], t[1], t[2], Activation.LEAKY_RELU, 0.1), normal("x2", 4, 6, 4),
                normal("w2", 5, 4, 3), normal("b2", 6, 3));
        check(t -> F.dense(t[0], t[1], t[2], Activation.SIGMOID, 0), normal("x3", 7, 6, 4), normal("w3", 8, 4, 3),
                normal("b3", 9, 3));
        check(t -> F.dense(t[0], t[1], t[2], Activation.TANH, 0), normal("x4", 10, 6, 4), normal("w4", 11, 4, 3),
                normal("b4", 12, 3));
    }

    @Test
    public void addSubMulDivSameShape() {
        check(t -> F.add(t[0], t[1]), normal("a", 1, 3, 4), normal("b", 2, 3, 4));
        check(t -> F.sub(t[0], t[1]), normal("a2", 3, 3, 4), normal("b2", 4, 3, 4));
        check(t -> F.mul(t[0], t[1]), normal("a3", 5, 3, 4), normal("b3", 6, 3, 4));
        check(t -> F.div(t[0], t[1]), normal("a4", 7, 3, 4), positive("b4", 8, 3, 4));
    }

    @Test
    public void broadcastingRowColumnAndScalar() {
        check(t -> F.add(t[0], t[1]), normal("m", 1, 3, 4), normal("row", 2, 4));
        check(t -> F.sub(t[0], t[1]), normal("m2", 3, 3, 4), normal("col", 4, 3, 1));
        check(t -> F.mul(t[0], t[1]), normal("m3", 5, 3, 4), normal("row1", 6, 1, 4));
        check(t -> F.div(t[0], t[1]), normal("m4", 7, 3, 4), positive("scalar", 8, 1, 1));
        check(t -> F.mul(t[0], t[1]), normal("row2", 9, 4), normal("m5", 10, 3, 4));
    }

    @Test
    public void scalarAndPointwiseMath() {
        check(t -> F.scale(t[0], -2.5), normal("x", 1, 3, 4));
        check(t -> F.addScalar(t[0], 3), normal("x2", 2, 3, 4));
        check(t -> F.neg(t[0]), normal("x3", 3, 3, 4));
        check(t -> F.exp(t[0]), normal("x4", 4, 3, 4));
        check(t -> F.log(t[0]), positive("x5", 5, 3, 4));
        check(t -> F.square(t[0]), normal("x6", 6, 3, 4));
        check(t -> F.sqrt(t[0]), positive("x7", 7, 3, 4));
    }

    @Test
    public void reductions() {
        check(t -> F.sum(t[0]), normal("x", 1, 3, 4));
        check(t -> F.mean(t[0]), normal("x2", 2, 3, 4));
        check(t -> F.sum(t[0], 0, false), normal("x3", 3, 3, 4));
        check(t -> F.sum(t[0], 1, true), normal("x4", 4, 3, 4));
        check(t -> F.mean(t[0], -1, false), normal("x5", 5, 3, 4));
        check(t -> F.mean(t[0], 0, true), normal("x6", 6, 3, 4));
        check(t -> F.sum(t[0], 1, false), normal("x7", 7, 2, 3, 4));
        check(t -> F.sumOfSquares(t[0]), normal("x8", 8, 3, 4));
    }

    @Test
    public void reshapeAndTranspose() {
        check(t -> F.reshape(t[0], 4, 3), normal("x", 1, 3, 4));
        check(t -> F.transpose(t[0]), normal("x2", 2, 3, 4));
        check(t -> F.matmul(F.transpose(t[0]), t[1]), normal("a", 3, 4, 3), normal("b", 4, 4, 2));
    }

    @Test
    public void activations() {
        // ReLU kinks at 0: normal inputs are almost surely farther than epsilon from it
        check(t -> F.relu(t[0]), normal("x", 1, 5, 4));
        check(t -> F.leakyRelu(t[0], 0.1), normal("x2", 2, 5, 4));
        check(t -> F.sigmoid(t[0]), normal("x3", 3, 5, 4));
        check(t -> F.tanh(t[0]), normal("x4", 4, 5, 4));
        check(t -> F.softmax(t[0]), normal("x5", 5, 5, 4));
        check(t -> F.logSoftmax(t[0]), normal("x6", 6, 5, 4));
    }

    @Test
    public void dropoutWithAFixedMask() {
        check(t -> F.dropout(t[0], 0.7, 5, 11), normal("x", 1, 6, 5));
    }

    @Test
    public void batchNorm() {
        Tensor mean = Tensor.zeros(backend(), dev.ember.core.DType.F64, 3);
        Tensor var = Tensor.full(backend(), dev.ember.core.DType.F64, 1.0, 3);
        toClose.add(mean);
        toClose.add(var);
        check(t -> F.batchNorm(t[0], t[1], t[2], mean, var, 1e-3, 0.9),
                normal("x", 1, 8, 3), normal("gamma", 2, 3), normal("beta", 3, 3));
    }

    @Test
    public void losses() {
        Tensor labels01 = uniform(50, 0, 1, 6, 1);
        Tensor oneHot = f64(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0}, 4, 3);
        toClose.add(labels01);
        toClose.add(oneHot);
        check(t -> F.sigmoidCrossEntropy(t[0], labels01), normal("z", 1, 6, 1));
        check(t -> F.softmaxCrossEntropy(t[0], oneHot), normal("z2", 2, 4, 3));
        check(t -> F.meanSquaredError(t[0], t[1]), normal("p", 3, 4, 3), normal("y", 4, 4, 3));
        check(t -> F.sigmoidCrossEntropy(t[0], t[1]), normal("z3", 5, 6, 1), var("soft", uniform(51, 0, 1, 6, 1)));
    }

    /** The losses' one path also takes strided operands (transposed views) and the labels' gradient. */
    @Test
    public void lossesOnTransposedViews() {
        Tensor labels = uniform(52, 0, 1, 3, 4);
        Tensor oneHot = f64(new double[] {1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0}, 3, 4);   // columns one-hot
        toClose.add(labels);
        toClose.add(oneHot);
        check(t -> F.sigmoidCrossEntropy(F.transpose(t[0]), t[1]), normal("z", 6, 3, 4),
                var("y", uniform(53, 0, 1, 4, 3)));
        check(t -> F.sigmoidCrossEntropy(t[0], F.transpose(labels)), normal("z", 7, 4, 3));
        check(t -> F.softmaxCrossEntropy(F.transpose(t[0]), F.transpose(oneHot)), normal("z2", 8, 3, 4));
        // soft labels (rows summing to 1, as the closed-form gradient assumes), watched too
        check(t -> F.softmaxCrossEntropy(t[0], t[1]), normal("z3", 9, 4, 3),
                var("soft", f64(new double[] {0.2, 0.5, 0.3, 0.9, 0.05, 0.05, 0, 0, 1, 0.25, 0.25, 0.5}, 4, 3)));
        check(t -> F.meanSquaredError(F.transpose(t[0]), t[1]), normal("p", 10, 3, 4), normal("y2", 11, 4, 3));
    }
}
