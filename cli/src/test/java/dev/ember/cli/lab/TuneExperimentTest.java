package dev.ember.cli.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ember.core.Backends;
import dev.ember.core.DType;
import dev.ember.nn.data.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The hyper-parameter search, shortened; its samplers and search space without any training. */
class TuneExperimentTest {
    @TempDir
    Path dir;

    @Test
    void sobolPointsLieInTheDeclaredRangesAndFillThem() {
        int d = TuneExperiment.SPACE.size();
        double[] lo = new double[d];
        double[] hi = new double[d];
        java.util.Arrays.fill(hi, 1);
        List<double[]> pts = TuneExperiment.sobol(64, lo, hi);
        assertThat(pts).hasSize(64);
        for (int i = 0; i < d; i++) {
            TuneExperiment.Param p = TuneExperiment.SPACE.get(i);
            int[] bins = new int[8];
            for (double[] u : pts) {
                assertThat(u[i]).isBetween(0.0, 1.0);
                double v = p.value(u[i]);
                assertThat(v).as(p.name()).isBetween(p.low(), p.high());
                bins[(int) (u[i] * 8)]++;
            }
            // a block of 64 Sobol points is a net: every eighth of every coordinate holds exactly 8 of them
            assertThat(bins).as(p.name()).containsOnly(8);
        }
        // inside a fine box, the points stay in the box
        double[][] box = TuneExperiment.fineBox(new double[] {0.99, 0.0, 0.5, 0.3, 0.7, 0.1});
        for (double[] u : TuneExperiment.sobol(8, box[0], box[1])) {
            for (int i = 0; i < d; i++) {
                assertThat(u[i]).isBetween(box[0][i], box[1][i]);
                assertThat(box[1][i] - box[0][i]).isCloseTo(TuneExperiment.FINE_WIDTH,
                        org.assertj.core.api.Assertions.within(1e-12));
                assertThat(box[0][i]).isGreaterThanOrEqualTo(0);
                assertThat(box[1][i]).isLessThanOrEqualTo(1);
            }
        }
        // log scales: the middle of the unit range is the geometric mean
        assertThat(TuneExperiment.SPACE.get(0).value(0.5)).isCloseTo(1e-3, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void labelSmoothingKeepsTheClassAndSumsToOne() {
        Dataset d = Dataset.ofClasses(new double[][] {{0.5}, {1.5}}, new int[] {3, 7}, 10);
        Dataset s = TuneExperiment.smooth(d);
        double[] y = s.labels();
        for (int row = 0; row < 2; row++) {
            double sum = 0;
            int argmax = 0;
            for (int c = 0; c < 10; c++) {
                sum += y[row * 10 + c];
                if (y[row * 10 + c] > y[row * 10 + argmax]) {
                    argmax = c;
                }
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
            assertThat(argmax).isEqualTo(row == 0 ? 3 : 7);
        }
        assertThat(y[3]).isCloseTo(1 - TuneExperiment.LABEL_SMOOTHING + TuneExperiment.LABEL_SMOOTHING / 10,
                org.assertj.core.api.Assertions.within(1e-12));
        assertThat(y[0]).isCloseTo(TuneExperiment.LABEL_SMOOTHING / 10, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(d.labels()[0]).as("the input is not modified").isZero();
    }

    @Test
    void theEstimateGrowsWithThePlanAndPicksTheReducedPlanOnASlowDevice() {
        LabContext ctx = new LabContext(null, DType.F32, 1, false, 1, null, null, line -> { });
        double cpu = 2e-5;    // seconds per example of the reference network: about one core of this machine
        double pocl = 1.5e-4; // about the PoCL device (2.6 ms vs 19 ms per step of 128)
        double full = TuneExperiment.estimate(TuneExperiment.FULL, 50_000, 10_000, cpu, 2, ctx);
        double reduced = TuneExperiment.estimate(TuneExperiment.REDUCED, 50_000, 10_000, cpu, 2, ctx);
        assertThat(reduced).isLessThan(full / 4);
        // linear in the speed, shared among the workers
        assertThat(TuneExperiment.estimate(TuneExperiment.FULL, 50_000, 10_000, 2 * cpu, 1, ctx))
                .isCloseTo(4 * full, org.assertj.core.api.Assertions.within(1e-9 * full));
        // the retraining: 20 epochs (the long round's) of 60 000 examples and a test pass, on both cores
        assertThat(TuneExperiment.finalEstimate(TuneExperiment.FULL, 60_000, cpu, 2, ctx))
                .isCloseTo(cpu * 60_000 * (20 + 1 / 3.0) / 2, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(TuneExperiment.finalEstimate(TuneExperiment.REDUCED, 60_000, pocl, 1, ctx))
                .isCloseTo(pocl * 60_000 * (10 + 1 / 3.0), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(full + TuneExperiment.finalEstimate(TuneExperiment.FULL, 60_000, cpu, 2, ctx))
                .isLessThan(TuneExperiment.SEARCH_BUDGET_SECONDS);
        assertThat(TuneExperiment.estimate(TuneExperiment.FULL, 50_000, 10_000, pocl, 1, ctx))
                .isGreaterThan(TuneExperiment.SEARCH_BUDGET_SECONDS);
        assertThat(TuneExperiment.estimate(TuneExperiment.REDUCED, 50_000, 10_000, pocl, 1, ctx)
                + TuneExperiment.finalEstimate(TuneExperiment.REDUCED, 60_000, pocl, 1, ctx))
                .isLessThan(TuneExperiment.SEARCH_BUDGET_SECONDS);
        assertThat(TuneExperiment.FULL.trials()).isEqualTo(34);
        assertThat(TuneExperiment.parameters(784, 256, 256)).isEqualTo(785 * 256 + 257 * 256 + 257 * 10);
    }

    @Test
    void aBadSettingFailsBeforeAnyWork() {
        LabContext ctx = new LabContext(Backends.byName("cpu"), DType.F32, 1, false, 0.05, null,
                Path.of("/nonexistent"), line -> { });
        TuneExperiment tune = new TuneExperiment(d -> {
            throw new AssertionError("the test set was read");
        }, null);
        for (String[] setting : new String[][] {{"ember.lab.tune.plan", "huge"}, {"ember.lab.tune.budget", "-5"},
                {"ember.lab.tune.budget", "ten"}}) {
            System.setProperty(setting[0], setting[1]);
            try {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> tune.run(ctx))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(setting[0])
                        .hasMessageContaining(setting[1]);
            } finally {
                System.clearProperty(setting[0]);
            }
        }
    }

    @Test
    void aShortSearchRanksByDevAccuracyAndTouchesTheTestSetOnce() throws Exception {
        JsonNode fin = shortSearch(TuneExperiment.FULL, true);
        assertThat(fin.get("plan").get("long_trials").asInt()).isEqualTo(2);
    }

    @Test
    void theReducedPlanSearchesLessAndRetrainsForItsOwnEpochs() throws Exception {
        JsonNode fin = shortSearch(TuneExperiment.REDUCED, false);
        assertThat(fin.get("plan").get("long_trials").asInt()).isZero();
        // 10 epochs at scale 0.05, up to twice that when the budget leaves time (it does, in a short run)
        assertThat(fin.get("epochs").asInt()).isBetween(1, 2);
    }

    /** Runs a shortened search with {@code plan}; checks what every plan promises; returns the final variant. */
    private JsonNode shortSearch(TuneExperiment.Plan plan, boolean plots) throws Exception {
        assumeTrue(Files.isRegularFile(LabData.FASHION_DEFAULT.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        AtomicInteger testReads = new AtomicInteger();
        List<String> progress = new ArrayList<>();
        TuneExperiment tune = new TuneExperiment(dataDir -> {
            testReads.incrementAndGet();
            // the search is over when the test set is read
            synchronized (progress) {
                assertThat(progress).anyMatch(l -> l.contains("retraining"));
            }
            Dataset t = LabData.fashion(dataDir, false);
            return t.slice(0, 2000);
        }, plan);
        LabContext ctx = new LabContext(Backends.byName("cpu"), DType.F32, 1, false, 0.05, plots ? dir : null, null,
                line -> {
                    synchronized (progress) {
                        progress.add(line);
                    }
                });
        ExperimentResult r = tune.run(ctx);
        assertThat(testReads).hasValue(1);
        JsonNode j = new ObjectMapper().readTree(LabCommand.write(r));
        JsonNode variants = j.get("variants");
        int trials = plan.trials();
        assertThat(variants).hasSize(trials + 1);
        double previous = Double.POSITIVE_INFINITY;
        int sobol = 0;
        int coarse = 0;
        int fine = 0;
        List<String> longOnes = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            JsonNode v = variants.get(i);
            double dev = v.get("dev_accuracy").asDouble();
            assertThat(dev).as("sorted by dev accuracy at rank %d", i + 1).isLessThanOrEqualTo(previous);
            previous = dev;
            assertThat(v.get("rank").asInt()).isEqualTo(i + 1);
            assertThat(v.has("test_accuracy")).as("only the winner sees the test set").isFalse();
            switch (v.get("round").asText()) {
                case "coarse" -> coarse++;
                case "fine" -> fine++;
                case "long" -> longOnes.add(v.get("name").asText());
                default -> throw new AssertionError("unknown round " + v.get("round"));
            }
            if (!v.get("round").asText().equals("long") && v.get("sampler").asText().equals("sobol")) {
                sobol++;
            }
            // every trial, Sobol or random, lies in the declared ranges
            assertThat(v.get("learning_rate").asDouble()).isBetween(1e-4, 1e-2);
            assertThat(1 - v.get("beta1").asDouble()).isBetween(0.01 - 1e-12, 0.3 + 1e-12);
            assertThat(v.get("hidden").get(0).asInt()).isBetween(64, 1024);
            assertThat(v.get("hidden").get(1).asInt()).isBetween(32, 512);
            assertThat(v.get("l2_lambda").asDouble()).isBetween(1e-3, 1.0);
            assertThat(v.get("keep_prob").asDouble()).isBetween(0.5, 1.0);
        }
        assertThat(coarse).isEqualTo(2 * plan.coarsePerSampler());
        assertThat(fine).isEqualTo(2 * plan.finePerSampler());
        assertThat(sobol).isEqualTo(plan.coarsePerSampler() + plan.finePerSampler());
        assertThat(longOnes).hasSize(plan.longTrials());
        // the long trials repeat the best fine trials' recipes
        List<String> bestFine = new ArrayList<>();
        for (JsonNode v : variants) {
            if ("fine".equals(v.path("round").asText()) && bestFine.size() < plan.longTrials()) {
                bestFine.add(v.get("name").asText() + "-long");
            }
        }
        assertThat(longOnes).containsExactlyInAnyOrderElementsOf(bestFine);
        JsonNode fin = variants.get(trials);
        assertThat(fin.get("round").asText()).isEqualTo("final");
        assertThat(fin.get("trial").asText()).isEqualTo(variants.get(0).get("name").asText());
        assertThat(fin.get("test_examples").asInt()).isEqualTo(2000);
        assertThat(fin.get("plan").get("name").asText()).isEqualTo(plan.name());
        // ten classes: chance is 0.1; a short run on 2 000 examples is far above it
        assertThat(fin.get("test_accuracy").asDouble()).isGreaterThan(0.5);
        if (plan.finalEpochs() == 0) {
            assertThat(fin.get("epochs").asInt()).isEqualTo(variants.get(0).get("epochs").asInt());
        }
        assertThat(fin.has("dev_accuracy")).as("the final model trains on train + dev").isFalse();
        // the diagnosis is the winning trial's: errors against the human-level error 0.165
        JsonNode won = variants.get(0);
        JsonNode diag = fin.get("diagnosis");
        assertThat(diag.get("avoidable_bias").asDouble()).isCloseTo(
                (1 - won.get("train_accuracy").asDouble()) - (1 - TuneExperiment.HUMAN_ACCURACY),
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(diag.get("variance").asDouble()).isCloseTo(
                won.get("train_accuracy").asDouble() - won.get("dev_accuracy").asDouble(),
                org.assertj.core.api.Assertions.within(1e-9));
        String table = tune.table(r);
        assertThat(table).contains("rank").contains("test acc").contains("avoidable bias").contains("plan " + plan.name());
        if (plots) {
            assertThat(r.plots()).containsExactly("tune-dev-accuracy.png", "tune-costs.png");
            assertThat(Files.readAllBytes(dir.resolve("tune-dev-accuracy.png"))).startsWith(0x89, 'P', 'N', 'G');
        }
        return fin;
    }
}
