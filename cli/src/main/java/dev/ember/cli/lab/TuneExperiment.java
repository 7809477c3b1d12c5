package dev.ember.cli.lab;

import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
import dev.ember.cpu.CpuBackend;
import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.Shuffler;
import dev.ember.nn.data.Split;
import dev.ember.nn.data.Standardizer;
import dev.ember.nn.diagnosis.BiasVariance;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.layers.Dropout;
import dev.ember.nn.layers.Layer;
import dev.ember.nn.losses.L2Regularization;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.metrics.Metrics;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.optim.Adam;
import dev.ember.nn.train.Callback;
import dev.ember.nn.train.FitOptions;
import org.apache.commons.math3.random.SobolSequenceGenerator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Hyper-parameter search on Fashion-MNIST. A stratified, seeded dev set of 10 000 examples is carved
 * from the 60 000 training examples; inputs are standardised with statistics of the remaining 50 000
 * only. Each trial trains a 784→h1→h2→10 MLP (ReLU, inverted dropout after both hidden layers, L2 on
 * the kernels, softmax) with Adam (β2 0.999) and a cosine learning-rate decay for a few epochs, and is
 * judged by its dev accuracy. The search samples, in the unit cube mapped onto {@link #SPACE}, the
 * learning rate and 1−β1 on log scales, the two hidden sizes (log scale, multiples of 16), λ (log) and
 * the keep-probability: a coarse round over the whole space (random search and a Sobol quasi-random
 * sequence, {@value #COARSE_PER_SAMPLER} points each, {@value #COARSE_EPOCHS} epochs), then a fine
 * round ({@value #FINE_PER_SAMPLER} each) in a box of {@value #FINE_WIDTH} of every range around the
 * best coarse trial, trained longer ({@value #FINE_EPOCHS} epochs) so that regularisation, which
 * short runs cannot reward, counts. The winner's bias/variance diagnosis comes from its trial. On the CPU the
 * trials run in parallel, one per core, each on its own one-thread CPU backend (set
 * {@code -Dember.lab.tune.parallel=false} to run them one after the other on the shared backend, to
 * compare); on other backends they run one after the other. The winner (best dev accuracy) is
 * diagnosed for bias and variance against the human-level accuracy of 0.835 published with the
 * dataset, its recipe (hyper-parameters and epochs) is retrained on train + dev on the shared backend,
 * and only then is the test set read and evaluated, once, for that model alone.
 */
final class TuneExperiment implements Experiment {
    /** Human-level accuracy on Fashion-MNIST, from the dataset's benchmark page. */
    static final double HUMAN_ACCURACY = 0.835;
    /** The MLP of Fashion-MNIST's benchmark table (256-128-100, ReLU, adam) reaches 0.8833 test accuracy. */
    static final double BENCHMARK_MLP = 0.8833;
    static final double GOAL = 0.90;
    static final int DEV = 10_000;
    static final int BATCH = 128;
    static final int COARSE_EPOCHS = 4;
    static final int FINE_EPOCHS = 10;
    static final int COARSE_PER_SAMPLER = 8;
    static final int FINE_PER_SAMPLER = 8;
    static final double FINE_WIDTH = 0.4;

    /** One searched hyper-parameter: a unit coordinate u in [0, 1] maps to {@code low..high}. */
    record Param(String name, double low, double high, boolean log, boolean integer) {
        double value(double u) {
            double v = log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
            if (integer) {
                v = 16 * Math.round(v / 16);
            }
            return Math.max(low, Math.min(high, v));   // exp(log(x)) may miss x by an ulp
        }
    }

    /** The search space, in the order of a point's coordinates. */
    static final List<Param> SPACE = List.of(
            new Param("learning_rate", 1e-4, 1e-2, true, false),
            new Param("one_minus_beta1", 0.01, 0.3, true, false),
            new Param("hidden1", 64, 1024, true, true),
            new Param("hidden2", 32, 512, true, true),
            new Param("l2_lambda", 1e-3, 1, true, false),
            new Param("keep_prob", 0.5, 1.0, false, false));

    /** A trial's hyper-parameters. */
    record Hyper(double learningRate, double beta1, int hidden1, int hidden2, double lambda, double keep) {
        static Hyper of(double[] u) {
            double[] v = new double[u.length];
            for (int i = 0; i < u.length; i++) {
                v[i] = SPACE.get(i).value(u[i]);
            }
            return new Hyper(v[0], 1 - v[1], (int) v[2], (int) v[3], v[4], v[5]);
        }

        Map<String, Object> fields() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("learning_rate", learningRate);
            m.put("beta1", beta1);
            m.put("one_minus_beta1", 1 - beta1);
            m.put("hidden", List.of(hidden1, hidden2));
            m.put("l2_lambda", lambda);
            m.put("keep_prob", keep);
            return m;
        }
    }

    /** A trial to run: its place in the search and its point in the unit cube. */
    record Trial(String name, String round, String sampler, double[] unit, Hyper hyper, int epochs) {
    }

    /** A trained network's numbers. */
    record Outcome(double trainAccuracy, double devAccuracy, double finalCost, List<double[]> costs,
                   List<Double> devPerEpoch, double seconds) {
    }

    private final Function<Path, Dataset> testSet;

    TuneExperiment() {
        this(dir -> LabData.fashion(dir, false));
    }

    /** @param testSet reads the test set (called once, after the search and the retraining) */
    TuneExperiment(Function<Path, Dataset> testSet) {
        this.testSet = testSet;
    }

    @Override
    public String name() {
        return "tune";
    }

    @Override
    public String description() {
        return "tune: Fashion-MNIST MLP hyper-parameter search (random + Sobol, coarse then fine), winner on test";
    }

    // ---------------------------------------------------------------- samplers

    /** {@code n} uniform random points in the box {@code [lo, hi]} of the unit cube. */
    static List<double[]> random(int n, double[] lo, double[] hi, SplittableRandom r) {
        List<double[]> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            double[] u = new double[lo.length];
            for (int i = 0; i < u.length; i++) {
                u[i] = lo[i] + r.nextDouble() * (hi[i] - lo[i]);
            }
            out.add(u);
        }
        return out;
    }

    /**
     * {@code n} (a power of two) Sobol points in the box: the block {@code [n, 2n)} of the sequence, a
     * (t, m, s)-net that skips the all-zero first point (the box's lowest corner).
     */
    static List<double[]> sobol(int n, double[] lo, double[] hi) {
        if (Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("tune: Sobol blocks are powers of two, got " + n);
        }
        SobolSequenceGenerator g = new SobolSequenceGenerator(lo.length);
        for (int k = 0; k < n; k++) {
            g.nextVector();   // not skipTo(n): in Commons Math 3.6.1 its next vector is point n + 1, off the net
        }
        List<double[]> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            double[] s = g.nextVector();
            double[] u = new double[lo.length];
            for (int i = 0; i < u.length; i++) {
                u[i] = lo[i] + s[i] * (hi[i] - lo[i]);
            }
            out.add(u);
        }
        return out;
    }

    /** The fine box: {@link #FINE_WIDTH} of each coordinate's range around {@code best}, kept inside the cube. */
    static double[][] fineBox(double[] best) {
        double[] lo = new double[best.length];
        double[] hi = new double[best.length];
        for (int i = 0; i < best.length; i++) {
            lo[i] = Math.max(0, Math.min(1 - FINE_WIDTH, best[i] - FINE_WIDTH / 2));
            hi[i] = lo[i] + FINE_WIDTH;
        }
        return new double[][] {lo, hi};
    }

    // ---------------------------------------------------------------- the run

    @Override
    public ExperimentResult run(LabContext ctx) {
        long start = System.nanoTime();
        Dataset all = LabData.fashion(ctx.dataDir(), true);
        double devFraction = DEV / (double) all.size();
        Split.Parts parts = Split.of(all, 1 - devFraction, devFraction, 0).seed(ctx.seed()).stratified(true).apply();
        Dataset train = parts.train();
        Dataset dev = parts.dev();
        if (ctx.scale() < 1) {   // shortened runs: stratified parts of both
            train = subset(train, Math.max(2000, (int) Math.round(train.size() * ctx.scale())), ctx.seed());
            dev = subset(dev, Math.max(1000, (int) Math.round(dev.size() * ctx.scale())), ctx.seed());
        }
        Standardizer standardizer = Standardizer.fit(train);   // the training split only
        Dataset trainSet = standardizer.apply(train);
        Dataset devSet = standardizer.apply(dev);
        int coarseEpochs = ctx.scaled(COARSE_EPOCHS);
        int fineEpochs = ctx.scaled(FINE_EPOCHS);
        int cores = Runtime.getRuntime().availableProcessors();
        boolean parallel = ctx.backend() instanceof CpuBackend && cores > 1
                && Boolean.parseBoolean(System.getProperty("ember.lab.tune.parallel", "true"));
        int workers = parallel ? cores : 1;
        ctx.progress().accept(String.format(Locale.ROOT, "  tune: %d training / %d dev examples, trials of %d (coarse)"
                        + " and %d (fine) epochs %s", trainSet.size(), devSet.size(), coarseEpochs, fineEpochs,
                parallel ? "in " + workers + " parallel workers (a one-thread CPU backend each)"
                        : "one after the other on " + ctx.backend().name()));

        // coarse round over the whole cube
        int d = SPACE.size();
        double[] zero = new double[d];
        double[] one = new double[d];
        java.util.Arrays.fill(one, 1);
        SplittableRandom rng = new SplittableRandom(ctx.seed());
        long searchStart = System.nanoTime();
        List<Trial> coarse = trials("coarse", random(COARSE_PER_SAMPLER, zero, one, rng), sobol(COARSE_PER_SAMPLER,
                zero, one), coarseEpochs);
        List<Map.Entry<Trial, Outcome>> results = new ArrayList<>(runAll(ctx, coarse, trainSet, devSet, workers, 0,
                coarse.size() + 2 * FINE_PER_SAMPLER));
        Trial bestCoarse = best(results).getKey();
        double[][] box = fineBox(bestCoarse.unit());
        List<Trial> fine = trials("fine", random(FINE_PER_SAMPLER, box[0], box[1], rng),
                sobol(FINE_PER_SAMPLER, box[0], box[1]), fineEpochs);
        results.addAll(runAll(ctx, fine, trainSet, devSet, workers, coarse.size(),
                coarse.size() + fine.size()));
        double searchSeconds = (System.nanoTime() - searchStart) / 1e9;
        results.sort(Comparator.comparingDouble((Map.Entry<Trial, Outcome> e) -> -e.getValue().devAccuracy())
                .thenComparing(e -> e.getKey().name()));
        Trial winner = results.get(0).getKey();
        Outcome won = results.get(0).getValue();
        // the winner's bias and variance: its own trial, trained on train, measured on train and dev
        BiasVariance.Diagnosis diagnosis = BiasVariance.fromAccuracies(HUMAN_ACCURACY, won.trainAccuracy(),
                won.devAccuracy());

        // the winner's recipe (hyper-parameters and epochs, all chosen on dev), retrained on all the labelled
        // data (train + dev, standardised afresh with their statistics) on the shared backend
        int finalEpochs = winner.epochs();
        Dataset labelled = concat(train, dev);
        Standardizer finalStandardizer = Standardizer.fit(labelled);
        Dataset labelledSet = finalStandardizer.apply(labelled);
        ctx.progress().accept(String.format(Locale.ROOT, "  tune: winner %s (%s); retraining it for %d epochs on"
                        + " train + dev (%d examples) on %s", winner.name(), describe(winner.hyper()), finalEpochs,
                labelledSet.size(), ctx.backend().name()));
        Outcome[] finalOutcome = new Outcome[1];
        double[] testAccuracy = new double[1];
        int[] testSize = new int[1];
        train(ctx.backend(), ctx, winner.hyper(), labelledSet, null, finalEpochs, epochLine -> ctx.progress()
                .accept("  tune/final: " + epochLine), (model, outcome) -> {
                    finalOutcome[0] = outcome;
                    // the test set, read and evaluated once, for the winner only
                    Dataset test = finalStandardizer.apply(testSet.apply(ctx.dataDir()));
                    testSize[0] = test.size();
                    testAccuracy[0] = accuracy(model, test);
                });
        Outcome fin = finalOutcome[0];

        List<VariantResult> variants = new ArrayList<>();
        int rank = 1;
        for (Map.Entry<Trial, Outcome> e : results) {
            Trial t = e.getKey();
            Outcome o = e.getValue();
            Map<String, Object> extra = new LinkedHashMap<>(t.hyper().fields());
            extra.put("rank", rank++);
            extra.put("round", t.round());
            extra.put("sampler", t.sampler());
            extra.put("unit_point", t.unit());
            extra.put("epochs", t.epochs());
            extra.put("dev_accuracy_per_epoch", o.devPerEpoch());
            variants.add(new VariantResult(t.name(), o.trainAccuracy(), o.devAccuracy(), null, o.finalCost(), o.costs(),
                    o.seconds(), extra));
        }
        Map<String, Object> extra = new LinkedHashMap<>(winner.hyper().fields());
        extra.put("round", "final");
        extra.put("trial", winner.name());
        extra.put("epochs", finalEpochs);
        extra.put("train_examples", labelledSet.size());
        extra.put("trained_on", "train + dev");
        extra.put("test_examples", testSize[0]);
        Map<String, Object> diag = new LinkedHashMap<>();
        diag.put("of", winner.name() + " (trained on train, measured on train and dev)");
        diag.put("human_accuracy", HUMAN_ACCURACY);
        diag.put("baseline_error", diagnosis.baselineError());
        diag.put("train_error", diagnosis.trainError());
        diag.put("dev_error", diagnosis.devError());
        diag.put("avoidable_bias", diagnosis.avoidableBias());
        diag.put("variance", diagnosis.variance());
        diag.put("problem", diagnosis.problem().toString());
        diag.put("remedies", diagnosis.remedies());
        extra.put("diagnosis", diag);
        extra.put("search_seconds", searchSeconds);
        extra.put("parallel_workers", workers);
        String finalName = "final (" + winner.name() + ")";
        variants.add(new VariantResult(finalName, fin.trainAccuracy(), null, testAccuracy[0],
                fin.finalCost(), fin.costs(), fin.seconds(), extra));

        double total = (System.nanoTime() - start) / 1e9;
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "search: %d trials (%d coarse of %d epochs, %d fine of %d epochs; random"
                        + " and Sobol) on %d examples, %s, %.1f s; fine box: %.2f of each range around %s",
                results.size(), coarse.size(), coarseEpochs, fine.size(), fineEpochs, trainSet.size(),
                parallel ? workers + " parallel one-thread CPU backends" : "one after the other", searchSeconds,
                FINE_WIDTH, bestCoarse.name()));
        notes.add(String.format(Locale.ROOT, "winner %s: %s, %d epochs: train %.4f, dev %.4f; retrained on train + dev"
                        + " (%d examples) in %.1f s: train %.4f, TEST %.4f (the test set was read and evaluated once,"
                        + " for this model only)", winner.name(), describe(winner.hyper()), finalEpochs,
                won.trainAccuracy(), won.devAccuracy(), labelledSet.size(), fin.seconds(), fin.trainAccuracy(),
                testAccuracy[0]));
        notes.add(String.format(Locale.ROOT, "bias/variance of %s against human-level accuracy %.3f (error %.3f): avoidable"
                        + " bias %+.4f%s, variance %+.4f: %s", winner.name(), HUMAN_ACCURACY, 1 - HUMAN_ACCURACY,
                diagnosis.avoidableBias(), diagnosis.avoidableBias() < 0
                        ? " (negative: the training error is below the human-level error)" : "",
                diagnosis.variance(), diagnosis.problem()));
        for (String remedy : diagnosis.remedies()) {
            notes.add("  - " + remedy);
        }
        notes.add(String.format(Locale.ROOT, "goal >= %.2f test accuracy with an MLP (benchmark-table MLP %.4f): %s;"
                        + " wall time %.1f s", GOAL, BENCHMARK_MLP, testAccuracy[0] >= GOAL ? "reached"
                        : String.format(Locale.ROOT, "missed by %.4f", GOAL - testAccuracy[0]), total));

        Plots plots = new Plots(ctx.out());
        if (plots.enabled()) {
            Map<String, List<double[]>> points = new LinkedHashMap<>();
            for (Map.Entry<Trial, Outcome> e : results) {
                points.computeIfAbsent(e.getKey().round() + " " + e.getKey().sampler(), k -> new ArrayList<>())
                        .add(new double[] {e.getKey().hyper().learningRate(), e.getValue().devAccuracy()});
            }
            plots.scatter("tune-dev-accuracy", "tune: dev accuracy of each trial against its learning rate",
                    "learning rate", "dev accuracy", true, points);
            List<VariantResult> shown = new ArrayList<>(variants.subList(0, Math.min(5, results.size())));
            shown.add(variants.get(variants.size() - 1));
            plots.costs("tune-costs", "tune: training cost per epoch of the best 5 trials and the retrained winner",
                    "epoch", shown, false);
        }
        return LabCommand.result(name(), ctx, start, variants, plots, notes);
    }

    private static Dataset concat(Dataset a, Dataset b) {
        double[] x = new double[a.features().length + b.features().length];
        System.arraycopy(a.features(), 0, x, 0, a.features().length);
        System.arraycopy(b.features(), 0, x, a.features().length, b.features().length);
        double[] y = new double[a.labels().length + b.labels().length];
        System.arraycopy(a.labels(), 0, y, 0, a.labels().length);
        System.arraycopy(b.labels(), 0, y, a.labels().length, b.labels().length);
        return new Dataset(x, a.featureShape(), y, a.labelShape());
    }

    private static Dataset subset(Dataset d, int n, long seed) {
        if (n >= d.size()) {
            return d;
        }
        double f = n / (double) d.size();
        return Split.of(d, f, 0, 1 - f).seed(seed).stratified(true).apply().train();
    }

    private static List<Trial> trials(String round, List<double[]> random, List<double[]> sobol, int epochs) {
        List<Trial> out = new ArrayList<>();
        for (int i = 0; i < random.size(); i++) {
            out.add(new Trial(String.format(Locale.ROOT, "%s-random-%d", round, i + 1), round, "random",
                    random.get(i), Hyper.of(random.get(i)), epochs));
        }
        for (int i = 0; i < sobol.size(); i++) {
            out.add(new Trial(String.format(Locale.ROOT, "%s-sobol-%d", round, i + 1), round, "sobol", sobol.get(i),
                    Hyper.of(sobol.get(i)), epochs));
        }
        return out;
    }

    private static Map.Entry<Trial, Outcome> best(List<Map.Entry<Trial, Outcome>> results) {
        return results.stream().max(Comparator.comparingDouble((Map.Entry<Trial, Outcome> e) -> e.getValue()
                .devAccuracy()).thenComparing(e -> e.getKey().name(), Comparator.reverseOrder())).orElseThrow();
    }

    /** Runs the trials, {@code workers} at a time; results in the trials' order. */
    private static List<Map.Entry<Trial, Outcome>> runAll(LabContext ctx, List<Trial> trials, Dataset train,
                                                          Dataset dev, int workers, int done, int total) {
        AtomicInteger finished = new AtomicInteger(done);
        Function<Trial, Outcome> one = t -> {
            Backend b = workers > 1 ? new CpuBackend(1) : ctx.backend();
            try {
                Outcome[] out = new Outcome[1];
                train(b, ctx, t.hyper(), train, dev, t.epochs(), null, (model, o) -> out[0] = o);
                ctx.progress().accept(String.format(Locale.ROOT, "  tune: trial %d/%d %-15s %s: dev accuracy %.4f"
                                + " (%.1f s)", finished.incrementAndGet(), total, t.name(), describe(t.hyper()),
                        out[0].devAccuracy(), out[0].seconds()));
                return out[0];
            } finally {
                if (b != ctx.backend()) {
                    b.close();
                }
            }
        };
        List<Map.Entry<Trial, Outcome>> out = new ArrayList<>();
        if (workers == 1) {
            for (Trial t : trials) {
                out.add(Map.entry(t, one.apply(t)));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread th = new Thread(r, "ember-lab-tune");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Trial t : trials) {
                futures.add(pool.submit(() -> one.apply(t)));
            }
            for (int i = 0; i < trials.size(); i++) {
                out.add(Map.entry(trials.get(i), futures.get(i).get()));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("tune: interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("tune: a trial failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** What to do with the trained model before it is closed. */
    private interface Finish {
        void accept(Sequential model, Outcome outcome);
    }

    /**
     * Trains one network on {@code backend} with a cosine learning-rate decay over {@code epochs}
     * and measures it; {@code epochLines} (nullable) gets one progress line per epoch.
     */
    private static void train(Backend backend, LabContext ctx, Hyper h, Dataset train, Dataset dev, int epochs,
                              java.util.function.Consumer<String> epochLines, Finish finish) {
        long start = System.nanoTime();
        List<Layer> layers = new ArrayList<>();
        layers.add(new Dense(train.featureShape().size(), h.hidden1()));
        layers.add(Activation.relu());
        layers.add(new Dropout(h.keep()));
        layers.add(new Dense(h.hidden2()));
        layers.add(Activation.relu());
        layers.add(new Dropout(h.keep()));
        layers.add(new Dense(10));
        layers.add(Activation.softmax());
        List<double[]> costs = new ArrayList<>();
        List<Double> devPerEpoch = new ArrayList<>();
        try (Sequential model = new Sequential(layers)) {
            DType dtype = ctx.dtype();
            model.backend(backend).dtype(dtype).seed(ctx.seed());
            model.regularization(new L2Regularization(h.lambda()));
            Adam adam = new Adam(h.learningRate(), h.beta1(), 0.999, 1e-8);
            adam.schedule((initial, epoch) -> initial * 0.5 * (1 + Math.cos(Math.PI * epoch / epochs)));
            model.compile(adam, Losses.categoricalCrossEntropy(), Metrics.categoricalAccuracy());
            Callback record = new Callback() {
                @Override
                public void onEpochEnd(int epoch, Map<String, Double> logs) {
                    double loss = logs.get("loss");
                    double devAcc = logs.getOrDefault("val_accuracy", Double.NaN);
                    costs.add(new double[] {epoch, loss});
                    if (dev != null) {
                        devPerEpoch.add(devAcc);
                    }
                    if (epochLines != null) {
                        epochLines.accept(String.format(Locale.ROOT, "epoch %d/%d, cost %.4f, train accuracy %.4f,%s"
                                        + " lr %.3g", epoch + 1, epochs, loss, logs.getOrDefault("accuracy", Double.NaN),
                                dev == null ? "" : String.format(Locale.ROOT, " dev accuracy %.4f,", devAcc),
                                logs.get("lr")));
                    }
                }
            };
            model.fit(train, FitOptions.defaults().epochs(epochs).batchSize(BATCH).progress(false)
                    .shuffle(Shuffler.seeded(ctx.seed())).validation(dev).checkLossEvery(50)
                    .onNonFiniteLoss(FitOptions.NonFinite.WARN).callbacks(record));
            double trainAcc = accuracy(model, train);
            double devAcc = devPerEpoch.isEmpty() ? Double.NaN : devPerEpoch.get(devPerEpoch.size() - 1);
            if (!Double.isFinite(devAcc)) {
                devAcc = 0;
            }
            double cost = costs.get(costs.size() - 1)[1];
            Outcome o = new Outcome(trainAcc, devAcc, cost, costs,
                    devPerEpoch, (System.nanoTime() - start) / 1e9);
            finish.accept(model, o);
        }
    }

    private static double accuracy(Sequential model, Dataset d) {
        Double a = model.evaluate(d, 1000).get("accuracy");
        return a == null || !Double.isFinite(a) ? 0 : a;
    }

    static String describe(Hyper h) {
        return String.format(Locale.ROOT, "lr %.2e, beta1 %.3f, hidden %dx%d, lambda %.1e, keep %.2f",
                h.learningRate(), h.beta1(), h.hidden1(), h.hidden2(), h.lambda(), h.keep());
    }

    // ---------------------------------------------------------------- the table

    @Override
    public String table(ExperimentResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%ntune  (backend %s, %s, seed %d%s, %.1f s)%n", r.backend(), r.dtype(),
                r.seed(), r.scale() == 1 ? "" : String.format(Locale.ROOT, ", scale %.3g", r.scale()), r.seconds()));
        sb.append(String.format("%4s  %-16s %9s %6s %9s %8s %5s %6s %9s %9s %10s %7s%n", "rank", "trial", "lr",
                "beta1", "hidden", "lambda", "keep", "epochs", "train acc", "dev acc", "final cost", "seconds"));
        VariantResult fin = null;
        for (VariantResult v : r.variants()) {
            if ("final".equals(v.extra().get("round"))) {
                fin = v;
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%4s  %-16s %s %9.4f %9.4f %10.4f %7.1f%n", v.extra().get("rank"),
                    v.name(), hyperColumns(v), v.trainAccuracy(), v.devAccuracy(), v.finalCost(), v.seconds()));
        }
        if (fin != null) {
            sb.append(String.format(Locale.ROOT, "%4s  %-16s %s %9.4f %9s %10.4f %7.1f   test acc %.4f%n", "",
                    "final", hyperColumns(fin), fin.trainAccuracy(), "-", fin.finalCost(), fin.seconds(),
                    fin.testAccuracy()));
        }
        for (String n : r.notes()) {
            sb.append("  ").append(n).append('\n');
        }
        if (!r.plots().isEmpty()) {
            sb.append("  plots: ").append(String.join(", ", r.plots())).append('\n');
        }
        return sb.toString();
    }

    private static String hyperColumns(VariantResult v) {
        Map<String, Object> e = v.extra();
        @SuppressWarnings("unchecked")
        List<Integer> hidden = (List<Integer>) e.get("hidden");
        return String.format(Locale.ROOT, "%9.2e %6.3f %9s %8.1e %5.2f %6d", (Double) e.get("learning_rate"),
                (Double) e.get("beta1"), hidden.get(0) + "x" + hidden.get(1), (Double) e.get("l2_lambda"),
                (Double) e.get("keep_prob"), (Integer) e.get("epochs"));
    }
}
