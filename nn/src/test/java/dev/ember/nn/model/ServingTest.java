package dev.ember.nn.model;

import dev.ember.core.DType;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.BatchNorm;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.layers.Dropout;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.optim.Adam;
import dev.ember.nn.testing.BackendTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The serving path: {@link Model#predictInto} and the class helpers give what {@link Model#predict}
 * gives, from many threads at once with bit-identical results, and reuse their sessions.
 */
class ServingTest extends BackendTest {
    private static final int FEATURES = 64;
    private static final int CLASSES = 7;
    private static final int THREADS = 8;

    private Sequential model() {
        Sequential m = new Sequential(new Dense(FEATURES, 128), new BatchNorm(), Activation.relu(), new Dropout(0.5),
                new Dense(32), Activation.tanh(), new Dense(CLASSES));
        m.backend(backend()).seed(11);
        m.compile(new Adam(0.01), Losses.categoricalCrossEntropy());
        m.build(Shape.of(FEATURES));
        return m;
    }

    /** Deterministic inputs, different for every {@code seed}. */
    private static float[] examples(int rows, int seed) {
        float[] x = new float[rows * FEATURES];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(0.37 * i + 1.3 * seed);
        }
        return x;
    }

    private float[] eagerPredict(Sequential m, float[] in, int rows) {
        try (Tensor f = Tensor.of(backend(), in, rows, FEATURES); Tensor x = f.to(m.dtype()); Tensor p = m.predict(x)) {
            return p.toFloatArray();
        }
    }

    private void assertSameAsEager(float[] eager, float[] served) {
        if (backendName().equals("opencl")) {   // a traced pass fuses kernels: rounding may differ on a device
            assertThat(served).hasSameSizeAs(eager);
            for (int i = 0; i < eager.length; i++) {
                assertThat(served[i]).as("prediction %d", i).isCloseTo(eager[i], within(1e-5f + 1e-4f * Math.abs(eager[i])));
            }
        } else {
            assertThat(served).containsExactly(eager);
        }
    }

    @Test
    void predictIntoGivesWhatPredictGivesForOneExampleAndForABatch() {
        try (Sequential m = model()) {
            for (int rows : new int[] {1, 5, 1, 5}) {   // each batch size traced once, then replayed
                float[] in = examples(rows, rows);
                float[] out = new float[rows * CLASSES];
                m.predictInto(in, out);
                assertSameAsEager(eagerPredict(m, in, rows), out);
            }
            assertThat(m.inferenceSessions()).isEqualTo(2);
        }
    }

    @Test
    void classHelpersTakeTheArgmaxOfThePredictions() {
        try (Sequential m = model()) {
            float[] in = examples(6, 3);
            float[] scores = new float[6 * CLASSES];
            m.predictInto(in, scores);
            int[] classes = new int[6];
            m.predictClasses(in, classes);
            for (int r = 0; r < 6; r++) {
                int best = 0;
                for (int c = 1; c < CLASSES; c++) {
                    if (scores[r * CLASSES + c] > scores[r * CLASSES + best]) {
                        best = c;
                    }
                }
                assertThat(classes[r]).as("class of row %d", r).isEqualTo(best);
                float[] one = new float[FEATURES];
                System.arraycopy(in, r * FEATURES, one, 0, FEATURES);
                assertThat(m.predictClass(one)).as("predictClass of row %d", r).isEqualTo(best);
            }
        }
    }

    @Test
    void eightThreadsPredictingAtOnceGetTheSingleThreadedBits() throws Exception {
        try (Sequential m = model()) {
            int[] batches = {1, 1, 160, 1, 160, 3, 1, 160};   // 160 x 64 x 128 splits over the CPU's threads
            float[][] inputs = new float[THREADS][];
            float[][] expectedInto = new float[THREADS][];
            float[][] expectedPredict = new float[THREADS][];
            for (int t = 0; t < THREADS; t++) {   // single-threaded references, both paths
                inputs[t] = examples(batches[t], t);
                expectedInto[t] = new float[batches[t] * CLASSES];
                m.predictInto(inputs[t], expectedInto[t]);
                expectedPredict[t] = eagerPredict(m, inputs[t], batches[t]);
            }
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Callable<Integer>> work = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                work.add(() -> {
                    start.await();
                    int rows = batches[id];
                    float[] out = new float[rows * CLASSES];
                    int checked = 0;
                    for (int round = 0; round < 100; round++) {
                        m.predictInto(inputs[id], out);
                        assertThat(out).as("thread %d round %d, predictInto", id, round).containsExactly(expectedInto[id]);
                        if (round % 20 == 0) {
                            assertThat(eagerPredict(m, inputs[id], rows)).as("thread %d round %d, predict", id, round)
                                    .containsExactly(expectedPredict[id]);
                        }
                        checked++;
                    }
                    return checked;
                });
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                for (Future<Integer> f : pool.invokeAll(work)) {
                    assertThat(f.get()).isEqualTo(100);
                }
            } finally {
                pool.shutdown();
            }
            assertThat(m.inferenceSessions()).as("sessions kept: at most one per concurrent caller")
                    .isBetween(3, 3 * THREADS);
        }
    }

    @Test
    void virtualThreadsShareTheModelsSessions() throws Exception {
        try (Sequential m = model()) {
            float[] in = examples(1, 9);
            float[] expected = new float[CLASSES];
            m.predictInto(in, expected);
            try (ExecutorService perRequest = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<float[]>> answers = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    answers.add(perRequest.submit(() -> {
                        float[] out = new float[CLASSES];
                        m.predictInto(in, out);
                        return out;
                    }));
                }
                for (Future<float[]> f : answers) {
                    assertThat(f.get()).containsExactly(expected);
                }
            }
            assertThat(m.inferenceSessions()).isLessThanOrEqualTo(InferencePool.CAPACITY);
        }
    }

    @Test
    void recompilingWithAnotherLossRetracesTheServingPath() {
        try (Sequential m = model()) {
            float[] in = examples(2, 1);
            float[] probabilities = new float[2 * CLASSES];
            m.predictInto(in, probabilities);
            m.compile(new Adam(0.01), Losses.meanSquaredError());   // predictions are now the raw outputs
            float[] raw = new float[2 * CLASSES];
            m.predictInto(in, raw);
            assertThat(raw).isNotEqualTo(probabilities);
            try (Tensor x = Tensor.of(backend(), in, 2, FEATURES); Tensor out = m.call(x, false)) {
                assertSameAsEager(out.toFloatArray(), raw);
            }
        }
    }

    @Test
    void badServingInputFailsWithOneLineNamingTheArgument() {
        try (Sequential m = model()) {
            assertThatThrownBy(() -> m.predictInto(new float[FEATURES + 1], new float[CLASSES]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("predictInto: input must hold whole examples of 64 values (shape [64]), got 65 values");
            assertThatThrownBy(() -> m.predictInto(new float[2 * FEATURES], new float[CLASSES]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("predictInto: out must hold 2 x 7 = 14 values, got 7");
            assertThatThrownBy(() -> m.predictClass(new float[2 * FEATURES]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("predictClass: expected one example of 64 values, got 128");
            assertThatThrownBy(() -> m.predictClasses(new float[FEATURES], new int[2]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("predictClasses: classes must hold 1 values, got 2");
            assertThatThrownBy(() -> m.warmUp(0, 10))
                    .hasMessage("warmUp: rows must be >= 1 and calls >= 0, got rows 0, calls 10");
        }
        try (Sequential unbuilt = new Sequential(new Dense(3))) {
            assertThatThrownBy(() -> unbuilt.predictInto(new float[3], new float[3]))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("predictInto: the model is not built; build it, fit it or load it first");
        }
    }

    @Test
    void raggedHostRowsAndARankOneInputAreRejectedBeforeAnyWork() {
        try (Sequential m = model()) {
            double[] full = new double[FEATURES];
            assertThatThrownBy(() -> m.predict(new double[][] {full, new double[FEATURES + 1]}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("predict: rows must all hold the same number of values: row 0 has 64, row 1 has 65");
            assertThatThrownBy(() -> m.predict(new double[][] {full, new double[3]}))
                    .hasMessage("predict: rows must all hold the same number of values: row 0 has 64, row 1 has 3");
            assertThatThrownBy(() -> m.predict(new double[][] {full, null}))
                    .hasMessage("predict: row 1 is null");
            try (Tensor one = Tensor.zeros(backend(), DType.F32, FEATURES)) {
                assertThatThrownBy(() -> m.predict(one))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("predict: x must be [batch, features...], got shape [64] (one example is [1, 64])");
            }
            assertThat(m.predict(new double[][] {full, full})).hasNumberOfRows(2);
        }
    }

    @Test
    void warmUpMakesTheSessionAndF64ModelsServeToo() {
        try (Sequential m = new Sequential(new Dense(FEATURES, 8), Activation.relu(), new Dense(CLASSES))) {
            m.backend(backend()).dtype(DType.F64).seed(2);
            m.build(Shape.of(FEATURES));
            m.warmUp(4, 3);
            assertThat(m.inferenceSessions()).isEqualTo(1);
            float[] in = examples(4, 5);
            float[] out = new float[4 * CLASSES];
            m.predictInto(in, out);
            float[] eager = eagerPredict(m, in, 4);
            assertSameAsEager(eager, out);
        }
    }
}
