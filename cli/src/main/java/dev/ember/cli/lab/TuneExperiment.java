package dev.ember.cli.lab;

import dev.ember.core.Backends;
import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
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
 * the kernels, softmax) with Adam (β2 0.999), a cosine learning-rate decay and label-smoothed targets
 * ({@value #LABEL_SMOOTHING}) for a few epochs, and is judged by its dev accuracy. The search samples,
 * in the unit cube mapped onto {@link #SPACE}, the learning rate and 1−β1 on log scales, the two hidden
 * sizes (log scale, multiples of 16), λ (log) and the keep-probability: a coarse round over the whole
 * space (random search and a Sobol quasi-random sequence), then a fine round in a box of
 * {@value #FINE_WIDTH} of every range around the best coarse trial, trained longer so that
 * regularisation, which short runs cannot reward, counts; then the best fine recipes once more with
 * twice the epochs, so that the training length is chosen on dev as well.
 *
 * <p>How much to search is a {@link Plan}, chosen from the backend's measured speed: a calibration times
 * a reference network's training steps, the full search ({@link #FULL}) is estimated from it, and a
 * backend on which it would not fit {@link #SEARCH_BUDGET_SECONDS} runs {@link #REDUCED} (fewer, shorter
 * trials on a part of the training split) instead. On the CPU the trials run in parallel, one per core,
 * each on its own one-thread CPU backend (set {@code -Dember.lab.tune.parallel=false} to run them one
 * after the other on the shared backend, to compare); on other backends they run one after the other
 * (two queues on one PoCL device measured 0.78 times the throughput of one). The winner (best dev
 * accuracy) is diagnosed for bias and variance against the human-level accuracy of 0.835 published
 * with the dataset, its recipe (hyper-parameters and epochs) is retrained on train + dev on the shared
 * backend, and only then is the test set read and evaluated, once, for that model alone.
 */
final class TuneExperiment implements Experiment {
    /** Human-level accuracy on Fashion-MNIST, from the dataset's benchmark page. */
    static final double HUMAN_ACCURACY = 0.835;
    /** The MLP of Fashion-MNIST's benchmark table (256-128-100, ReLU, adam) reaches 0.8833 test accuracy. */
    static final double BENCHMARK_MLP = 0.8833;
    static final double GOAL = 0.90;
    static final int DEV = 10_000;
    static final int BATCH = 128;
    static final double FINE_WIDTH = 0.4;
    /**
     * Label smoothing of the training targets (the true class gets 1 − ε + ε/10, every other class ε/10);
     * dev and test labels stay one-hot. On the dev set it was worth about +0.2 % accuracy in paired runs.
     */
    static final double LABEL_SMOOTHING = 0.1;
    /**
     * Seconds the search and the final retraining may be expected to take together ({@code -Dember.lab.tune.budget});
     * loading the data and the calibration come on top (about 15 s), the 10-minute goal leaves the rest for a
     * busy machine.
     */
    static final double SEARCH_BUDGET_SECONDS = 500;
    /** The reference network of the speed calibration (784→256→256→10 at batch {@value #BATCH}). */
    static final int REFERENCE_HIDDEN = 256;

    /**
     * How much searching to do. The coarse round runs {@code coarsePerSampler} random and as many Sobol
     * trials of {@code coarseEpochs}, the fine round {@code finePerSampler} of each of {@code fineEpochs}
     * around the best coarse trial; then the {@code longTrials} best fine trials are trained again for
     * {@code longEpochs} (so that the number of epochs is chosen on dev too, and regularised recipes that
     * need longer training can win). Trials train on {@code trialExamples} (a stratified part of the
     * training split; 0 = all of it); the winner is retrained on train + dev for its own number of
     * epochs, or {@code finalEpochs} when that is set.
     */
    record Plan(String name, int coarsePerSampler, int coarseEpochs, int finePerSampler, int fineEpochs,
                int trialExamples, int longTrials, int longEpochs, int finalEpochs, boolean devEveryEpoch) {
        /** Trials of this plan, all rounds. */
        int trials() {
            return 2 * coarsePerSampler + 2 * finePerSampler + longTrials;
        }
    }

    /** The search of a fast backend (the CPU, one trial per core). */
    static final Plan FULL = new Plan("full", 8, 4, 8, 10, 0, 2, 20, 0, true);
    /**
     * The search of a slow device (PoCL: its GEMM runs several times slower than one CPU core, and the
     * trials share the device one after the other): half the trials, on a third of the training split,
     * fewer epochs, dev measured at the end of each trial only; the winner gets 10 epochs on train + dev
     * (fewer, at least 5, when a big winner would not fit what is left of the budget; up to 20 when a small
     * one leaves time).
     */
    static final Plan REDUCED = new Plan("reduced", 4, 2, 4, 6, 16_000, 0, 0, 10, false);

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
    private final Plan forcedPlan;

    TuneExperiment() {
        this(dir -> LabData.fashion(dir, false), null);
    }

    /**
     * @param testSet reads the test set (called once, after the search and the retraining)
     * @param plan    the plan to run, or null to choose it as {@code ember lab tune} does
     *                ({@code -Dember.lab.tune.plan=full|reduced}, else by the measured speed)
     */
    TuneExperiment(Function<Path, Dataset> testSet, Plan plan) {
        this.testSet = testSet;
        this.forcedPlan = plan;
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

    /** The dev set and at least 2000 examples to train on, as shortened runs keep. */
    @Override
    public LabData.FashionNeeds fashionNeeds(double scale) {
        return new LabData.FashionNeeds(DEV + 2000, DEV + " dev + at least 2000 training", true);
    }

    @Override
    public ExperimentResult run(LabContext ctx) {
        long start = System.nanoTime();
        // settings first, so that a bad one fails before any work
        String planProperty = System.getProperty("ember.lab.tune.plan", "auto").toLowerCase(Locale.ROOT);
        if (!List.of("auto", "full", "reduced").contains(planProperty)) {
            throw new IllegalArgumentException("tune: -Dember.lab.tune.plan must be auto, full or reduced, got '"
                    + planProperty + "'");
        }
        String budgetProperty = System.getProperty("ember.lab.tune.budget", Double.toString(SEARCH_BUDGET_SECONDS));
        double budget;
        try {
            budget = Double.parseDouble(budgetProperty);
        } catch (NumberFormatException e) {
            budget = Double.NaN;
        }
        if (!(budget > 0)) {
            throw new IllegalArgumentException("tune: -Dember.lab.tune.budget must be a positive number of seconds,"
                    + " got '" + budgetProperty + "'");
        }
        Dataset all = LabData.fashionTraining(ctx, this);
        double devFraction = DEV / (double) all.size();
        Split.Parts parts = Split.of(all, 1 - devFraction, devFraction, 0).seed(ctx.seed()).stratified(true).apply();
        Dataset train = parts.train();
        Dataset dev = parts.dev();
        if (ctx.scale() < 1) {   // shortened runs: stratified parts of both
            train = subset(train, Math.max(2000, (int) Math.round(train.size() * ctx.scale())), ctx.seed());
            dev = subset(dev, Math.max(1000, (int) Math.round(dev.size() * ctx.scale())), ctx.seed());
        }
        Standardizer standardizer = Standardizer.fit(train);   // the training split only
        // stored in the training dtype: F32 keeps floats, half the heap, the same values on the device
        Dataset trainSet = smooth(standardizer.apply(train, ctx.dtype()));
        Dataset devSet = standardizer.apply(dev, ctx.dtype());
        int cores = Runtime.getRuntime().availableProcessors();
        boolean parallel = Backends.options(ctx.backend().name()).contains(THREADS) && cores > 1
                && Boolean.parseBoolean(System.getProperty("ember.lab.tune.parallel", "true"));
        int workers = parallel ? cores : 1;
        int d = SPACE.size();
        double[] zero = new double[d];
        double[] one = new double[d];
        java.util.Arrays.fill(one, 1);

        // how much to search: measure this backend's training speed, estimate the full search and retraining,
        // compare with the budget
        Backend probeBackend = parallel ? oneThread(ctx) : ctx.backend();
        double perExample;
        try {
            perExample = calibrate(probeBackend, ctx, trainSet);
        } finally {
            if (probeBackend != ctx.backend()) {
                probeBackend.close();
            }
        }
        int labelledSize = trainSet.size() + devSet.size();
        double fullEstimate = estimate(FULL, trainSet.size(), devSet.size(), perExample, workers, ctx)
                + finalEstimate(FULL, labelledSize, perExample, workers, ctx);
        Plan plan;
        String planReason;
        if (forcedPlan != null) {
            plan = forcedPlan;
            planReason = "as asked";
        } else if (planProperty.equals("full") || planProperty.equals("reduced")) {
            plan = planProperty.equals("full") ? FULL : REDUCED;
            planReason = "-Dember.lab.tune.plan=" + planProperty;
        } else {
            plan = fullEstimate <= budget ? FULL : REDUCED;
            planReason = String.format(Locale.ROOT, "the full search and retraining were estimated at %.0f s, %s the"
                            + " budget of %.0f s",
                    fullEstimate, fullEstimate <= budget ? "within" : "over", budget);
        }
        double planEstimate = estimate(plan, trainSet.size(), devSet.size(), perExample, workers, ctx)
                + finalEstimate(plan, labelledSize, perExample, workers, ctx);
        Dataset trialSet = plan.trialExamples() > 0 && plan.trialExamples() < trainSet.size()
                ? subset(trainSet, plan.trialExamples(), ctx.seed()) : trainSet;
        int coarseEpochs = ctx.scaled(plan.coarseEpochs());
        int fineEpochs = ctx.scaled(plan.fineEpochs());
        int longEpochs = ctx.scaled(Math.max(1, plan.longEpochs()));
        int total = plan.trials();
        String calibration = String.format(Locale.ROOT, "calibration: %.2f ms per step of a 784-%d-%d-10 network at"
                        + " batch %d on %s", 1e3 * perExample * BATCH, REFERENCE_HIDDEN, REFERENCE_HIDDEN, BATCH,
                parallel ? "a one-thread CPU backend" : ctx.backend().name());
        ctx.progress().accept(String.format(Locale.ROOT, "  tune: %s; plan %s (%s; this plan: about %.0f s)",
                calibration, plan.name(), planReason, planEstimate));
        ctx.progress().accept(String.format(Locale.ROOT, "  tune: %d training (%d per trial) / %d dev examples, trials"
                        + " of %d (coarse), %d (fine)%s epochs %s", trainSet.size(), trialSet.size(), devSet.size(),
                coarseEpochs, fineEpochs, plan.longTrials() > 0 ? " and " + longEpochs + " (long)" : "",
                parallel ? "in " + workers + " parallel workers (a one-thread CPU backend each)"
                        : "one after the other on " + ctx.backend().name()));

        // coarse round over the whole cube
        SplittableRandom rng = new SplittableRandom(ctx.seed());
        long searchStart = System.nanoTime();
        List<Trial> coarse = trials("coarse", random(plan.coarsePerSampler(), zero, one, rng),
                sobol(plan.coarsePerSampler(), zero, one), coarseEpochs);
        List<Map.Entry<Trial, Outcome>> results = new ArrayList<>(runAll(ctx, coarse, trialSet, devSet, workers,
                plan.devEveryEpoch(), 0, total));
        Trial bestCoarse = best(results).getKey();
        // fine round in a box around the best coarse trial, cut to what is left of the budget at the speed the
        // coarse trials really ran (a busy machine, or a coarse winner far bigger than the reference network)
        double[][] box = fineBox(bestCoarse.unit());
        int finePerSampler = plan.finePerSampler();
        List<double[]> fineRandom = random(finePerSampler, box[0], box[1], rng);
        List<Trial> fine = trials("fine", fineRandom, sobol(finePerSampler, box[0], box[1]), fineEpochs);
        double secondsPerWork = 0;
        double coarseWork = 0;
        for (Map.Entry<Trial, Outcome> e : results) {
            secondsPerWork += e.getValue().seconds();
            coarseWork += work(e.getKey(), trialSet.size(), devSet.size(), plan.devEveryEpoch());
        }
        secondsPerWork /= coarseWork;
        int longTrials = plan.longTrials();
        List<String> cuts = new ArrayList<>();
        while (true) {
            double left = budget - (System.nanoTime() - searchStart) / 1e9;
            double fineWork = 0;
            double fineSize = 0;
            for (Trial t : fine) {
                fineWork += work(t, trialSet.size(), devSet.size(), plan.devEveryEpoch());
                fineSize += size(t.hyper());
            }
            double meanSize = fineSize / fine.size();
            double longWork = longTrials * meanSize * (trialSet.size() + devSet.size() / 3.0
                    + trialSet.size() / 3.0) * longEpochs;
            // the retraining of a winner of the fine box's mean size, on the shared backend (all the cores)
            int retrainEpochs = plan.finalEpochs() > 0 ? ctx.scaled(plan.finalEpochs())
                    : longTrials > 0 ? longEpochs : fineEpochs;
            double finalWork = meanSize * labelledSize * (retrainEpochs + 1 / 3.0);
            double expected = secondsPerWork * (fineWork + longWork + finalWork) / workers;
            if (expected <= left) {
                break;
            }
            String why = String.format(Locale.ROOT, "(%.0f s expected with the retraining, %.0f s of the budget"
                    + " left)", expected, left);
            if (longTrials > 0) {
                longTrials = 0;
                cuts.add("no long round " + why);
            } else if (finePerSampler > 2) {
                finePerSampler /= 2;
                fine = trials("fine", fineRandom.subList(0, finePerSampler), sobol(finePerSampler, box[0], box[1]),
                        fineEpochs);
                cuts.add(finePerSampler + " fine trials per sampler " + why);
            } else if (fineEpochs > coarseEpochs + 1) {
                fineEpochs = Math.max(coarseEpochs + 1, (int) Math.floor(fineEpochs * Math.max(0, left) / expected));
                fine = trials("fine", fineRandom.subList(0, finePerSampler), sobol(finePerSampler, box[0], box[1]),
                        fineEpochs);
                cuts.add(fineEpochs + " fine epochs " + why);
            } else {
                break;
            }
        }
        if (!cuts.isEmpty()) {
            ctx.progress().accept("  tune: the coarse round ran slower than estimated; cut to " + String.join(", then ",
                    cuts));
        }
        total = coarse.size() + fine.size() + longTrials;
        List<Map.Entry<Trial, Outcome>> fineResults = runAll(ctx, fine, trialSet, devSet, workers,
                plan.devEveryEpoch(), results.size(), total);
        results.addAll(fineResults);
        // long round: the best fine recipes again with more epochs, so that dev also chooses the training length
        List<Trial> longer = new ArrayList<>();
        if (longTrials > 0) {
            List<Map.Entry<Trial, Outcome>> ranked = new ArrayList<>(fineResults);
            ranked.sort(byDevAccuracy());
            for (Map.Entry<Trial, Outcome> e : ranked.subList(0, Math.min(longTrials, ranked.size()))) {
                Trial t = e.getKey();
                longer.add(new Trial(t.name() + "-long", "long", t.sampler(), t.unit(), t.hyper(), longEpochs));
            }
            results.addAll(runAll(ctx, longer, trialSet, devSet, workers, plan.devEveryEpoch(), results.size(),
                    total));
        }
        double searchSeconds = (System.nanoTime() - searchStart) / 1e9;
        results.sort(byDevAccuracy());
        Trial winner = results.get(0).getKey();
        Outcome won = results.get(0).getValue();
        // the winner's bias and variance: its own trial, trained on train, measured on train and dev
        BiasVariance.Diagnosis diagnosis = BiasVariance.fromAccuracies(HUMAN_ACCURACY, won.trainAccuracy(),
                won.devAccuracy());

        // the winner's recipe (hyper-parameters and epochs, all chosen on dev), retrained on all the labelled
        // data (train + dev, standardised afresh with their statistics) on the shared backend
        int finalEpochs = plan.finalEpochs() > 0 ? ctx.scaled(plan.finalEpochs()) : winner.epochs();
        // on a slow device a big winner may not fit what is left of the budget: fewer epochs (at least half), said so
        double left = budget - (System.nanoTime() - searchStart) / 1e9;
        double perEpoch = secondsPerWork * size(winner.hyper()) * labelledSize / workers;
        int fitting = (int) Math.floor(left / perEpoch - 1 / 3.0);
        if (fitting < finalEpochs) {
            int cut = Math.max((finalEpochs + 1) / 2, fitting);
            cuts.add(String.format(Locale.ROOT, "%d epochs instead of %d for the retraining (%.0f s expected for %d,"
                    + " %.0f s of the budget left)", cut, finalEpochs, perEpoch * (finalEpochs + 1 / 3.0), finalEpochs,
                    left));
            ctx.progress().accept("  tune: " + cuts.get(cuts.size() - 1));
            finalEpochs = cut;
        } else if (plan.finalEpochs() > 0) {
            // a plan with a set retraining length (the reduced one, whose trials were too short to choose it)
            // spends what a small winner leaves of the budget on up to twice the epochs, keeping a fifth in hand;
            // decided from the clock alone, before the test set is read
            int grown = Math.min(2 * finalEpochs, (int) Math.floor(0.8 * left / perEpoch - 1 / 3.0));
            if (grown > finalEpochs) {
                cuts.add(String.format(Locale.ROOT, "%d epochs instead of %d for the retraining (%.0f s expected,"
                        + " %.0f s of the budget left)", grown, finalEpochs, perEpoch * (grown + 1 / 3.0), left));
                ctx.progress().accept("  tune: " + cuts.get(cuts.size() - 1));
                finalEpochs = grown;
            }
        }
        Dataset labelled = train.concat(dev);
        Standardizer finalStandardizer = Standardizer.fit(labelled);
        Dataset labelledSet = smooth(finalStandardizer.apply(labelled, ctx.dtype()));
        ctx.progress().accept(String.format(Locale.ROOT, "  tune: winner %s (%s); retraining it for %d epochs on"
                        + " train + dev (%d examples) on %s", winner.name(), describe(winner.hyper()), finalEpochs,
                labelledSet.size(), ctx.backend().name()));
        Outcome[] finalOutcome = new Outcome[1];
        double[] testAccuracy = new double[1];
        int[] testSize = new int[1];
        train(ctx.backend(), ctx, winner.hyper(), labelledSet, null, finalEpochs, true, epochLine -> ctx.progress()
                .accept("  tune/final: " + epochLine), (model, outcome) -> {
                    finalOutcome[0] = outcome;
                    ctx.saveVariant(model, "tune", "final");   // the search's product; its trials are throwaway
                    // the test set, read and evaluated once, for the winner only
                    Dataset test = finalStandardizer.apply(testSet.apply(ctx.dataDir()), ctx.dtype());
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
            extra.put("train_examples", trialSet.size());
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
        extra.put("label_smoothing", LABEL_SMOOTHING);
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
        Map<String, Object> planFields = new LinkedHashMap<>();
        planFields.put("name", plan.name());
        planFields.put("reason", planReason);
        planFields.put("coarse_trials", coarse.size());
        planFields.put("fine_trials", fine.size());
        planFields.put("long_trials", longer.size());
        planFields.put("cuts", cuts);
        planFields.put("trial_examples", trialSet.size());
        planFields.put("calibration_ms_per_step", 1e3 * perExample * BATCH);
        planFields.put("estimated_full_plan_seconds", fullEstimate);
        planFields.put("estimated_plan_seconds", planEstimate);
        planFields.put("budget_seconds", budget);
        extra.put("plan", planFields);
        extra.put("search_seconds", searchSeconds);
        extra.put("parallel_workers", workers);
        String finalName = "final (" + winner.name() + ")";
        variants.add(new VariantResult(finalName, fin.trainAccuracy(), null, testAccuracy[0],
                fin.finalCost(), fin.costs(), fin.seconds(), extra));

        double seconds = (System.nanoTime() - start) / 1e9;
        List<String> notes = new ArrayList<>();
        notes.add(String.format(Locale.ROOT, "plan %s (%s); %s; this plan estimated at %.0f s%s", plan.name(),
                planReason, calibration, planEstimate, cuts.isEmpty() ? ""
                        : "; fitted to the budget: " + String.join(", then ", cuts)));
        notes.add(String.format(Locale.ROOT, "search: %d trials (%d coarse of %d epochs, %d fine of %d epochs; random"
                        + " and Sobol%s) on %d examples, %s, %.1f s; fine box: %.2f of each range around %s",
                results.size(), coarse.size(), coarseEpochs, fine.size(), fineEpochs, longer.isEmpty() ? ""
                        : String.format(Locale.ROOT, "; the best %d fine again for %d epochs", longer.size(),
                        longEpochs), trialSet.size(),
                parallel ? workers + " parallel one-thread CPU backends" : "one after the other", searchSeconds,
                FINE_WIDTH, bestCoarse.name()));
        notes.add(String.format(Locale.ROOT, "winner %s: %s, %d epochs: train %.4f, dev %.4f; retrained on train + dev"
                        + " (%d examples, %d epochs) in %.1f s: train %.4f, TEST %.4f (the test set was read and"
                        + " evaluated once, for this model only)", winner.name(), describe(winner.hyper()),
                winner.epochs(), won.trainAccuracy(), won.devAccuracy(), labelledSet.size(), finalEpochs, fin.seconds(),
                fin.trainAccuracy(), testAccuracy[0]));
        notes.add(String.format(Locale.ROOT, "training targets label-smoothed by %.2f (costs are cross-entropies"
                + " against the smoothed targets); dev and test labels one-hot", LABEL_SMOOTHING));
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
                        : String.format(Locale.ROOT, "missed by %.4f", GOAL - testAccuracy[0]), seconds));

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

    /** Training targets with {@link #LABEL_SMOOTHING}: {@code y (1 − ε) + ε / classes}. */
    static Dataset smooth(Dataset d) {
        double[] y = d.labels().clone();
        int classes = d.labelShape().size();
        for (int i = 0; i < y.length; i++) {
            y[i] = y[i] * (1 - LABEL_SMOOTHING) + LABEL_SMOOTHING / classes;
        }
        return d.withLabels(y);
    }

    /** Weights and biases of a 784→h1→h2→10 network. */
    static long parameters(int inputs, int h1, int h2) {
        return (long) (inputs + 1) * h1 + (long) (h1 + 1) * h2 + (h2 + 1) * 10L;
    }

    /**
     * Seconds per training example of the reference network on {@code backend}: epochs of 16 steps, timed
     * one by one until the JIT and the kernel builds have settled (at least 4, and at least 2 s, at most
     * 24 epochs); the fastest one counts, which also discounts a moment of a shared machine's contention.
     */
    private static double calibrate(Backend backend, LabContext ctx, Dataset train) {
        Dataset chunk = train.slice(0, Math.min(train.size(), 16 * BATCH));
        Hyper ref = new Hyper(1e-3, 0.9, REFERENCE_HIDDEN, REFERENCE_HIDDEN, 1e-3, 0.9);
        try (Sequential model = network(train, ref)) {
            model.backend(backend).dtype(ctx.dtype()).seed(ctx.seed());
            model.regularization(new L2Regularization(ref.lambda()));
            model.compile(new Adam(ref.learningRate(), ref.beta1(), 0.999, 1e-8), Losses.categoricalCrossEntropy(),
                    Metrics.categoricalAccuracy());
            FitOptions options = FitOptions.defaults().epochs(1).batchSize(BATCH).progress(false)
                    .shuffle(Shuffler.seeded(ctx.seed())).checkLossEvery(50).onNonFiniteLoss(FitOptions.NonFinite.WARN);
            long begin = System.nanoTime();
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < 24 && (i < 4 || System.nanoTime() - begin < 2_000_000_000L); i++) {
                long t0 = System.nanoTime();
                model.fit(chunk, options);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9 / chunk.size());
            }
            return best;
        }
    }

    /**
     * The expected seconds of a plan's search: every trial's training passes, weighted by its network's size
     * against the reference network (coarse trials by the sizes of 16 Sobol points spread over the space,
     * the later rounds at the reference size), plus the dev evaluations (a forward pass, about a third of a
     * training step per example), shared among the workers.
     */
    static double estimate(Plan plan, int trainSize, int devSize, double perExample, int workers, LabContext ctx) {
        int examples = plan.trialExamples() > 0 ? Math.min(plan.trialExamples(), trainSize) : trainSize;
        int inputs = 28 * 28;
        double ref = parameters(inputs, REFERENCE_HIDDEN, REFERENCE_HIDDEN);
        double coarseSize = 0;
        List<double[]> spread = sobol(16, new double[SPACE.size()], filled(SPACE.size(), 1));
        for (double[] u : spread) {
            Hyper h = Hyper.of(u);
            coarseSize += parameters(inputs, h.hidden1(), h.hidden2()) / ref;
        }
        coarseSize /= spread.size();
        int coarseEpochs = ctx.scaled(plan.coarseEpochs());
        int fineEpochs = ctx.scaled(plan.fineEpochs());
        int longEpochs = ctx.scaled(Math.max(1, plan.longEpochs()));
        double passes = 2 * plan.coarsePerSampler() * coarseSize * coarseEpochs
                + 2 * plan.finePerSampler() * fineEpochs + plan.longTrials() * longEpochs;
        double evaluations = plan.devEveryEpoch()
                ? 2 * plan.coarsePerSampler() * coarseSize * coarseEpochs + 2 * plan.finePerSampler() * fineEpochs
                        + plan.longTrials() * longEpochs
                : 2 * plan.coarsePerSampler() * coarseSize + 2 * plan.finePerSampler() + plan.longTrials();
        // and each trial measures its training accuracy once
        evaluations += 2 * plan.coarsePerSampler() * coarseSize + 2 * plan.finePerSampler() + plan.longTrials();
        return perExample * (passes * examples + evaluations * devSize / 3.0) / workers;
    }

    /**
     * The expected seconds of retraining a reference-sized winner on train + dev on the shared backend (which
     * has all the cores, so about {@code workers} times the speed of one trial's) and testing it.
     */
    static double finalEstimate(Plan plan, int labelledSize, double perExample, int workers, LabContext ctx) {
        int epochs = ctx.scaled(plan.finalEpochs() > 0 ? plan.finalEpochs()
                : plan.longTrials() > 0 ? plan.longEpochs() : plan.fineEpochs());
        return perExample * labelledSize * (epochs + 1 / 3.0) / workers;
    }

    /** A network's size against the reference network's. */
    private static double size(Hyper h) {
        return parameters(28 * 28, h.hidden1(), h.hidden2())
                / (double) parameters(28 * 28, REFERENCE_HIDDEN, REFERENCE_HIDDEN);
    }

    /**
     * A trial's work in reference-network example passes: its training passes, its dev evaluations and the
     * training-accuracy evaluation (a forward pass: about a third of a training pass), scaled by its size.
     */
    private static double work(Trial t, int examples, int devSize, boolean devEveryEpoch) {
        return size(t.hyper()) * ((double) examples * t.epochs() + (devEveryEpoch ? t.epochs() : 1) * devSize / 3.0
                + examples / 3.0);
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    private static Comparator<Map.Entry<Trial, Outcome>> byDevAccuracy() {
        return Comparator.comparingDouble((Map.Entry<Trial, Outcome> e) -> -e.getValue().devAccuracy())
                .thenComparing(e -> e.getKey().name());
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

    /** The backend option that sets a thread count; a backend with it (the CPU) runs trials side by side. */
    private static final String THREADS = "threads";

    /** A new one-thread instance of the context's backend, for one of several trials run side by side. */
    private static Backend oneThread(LabContext ctx) {
        return Backends.open(ctx.backend().name(), Map.of(THREADS, "1"));
    }

    /** Runs the trials, {@code workers} at a time; results in the trials' order. */
    private static List<Map.Entry<Trial, Outcome>> runAll(LabContext ctx, List<Trial> trials, Dataset train,
                                                          Dataset dev, int workers, boolean devEveryEpoch, int done,
                                                          int total) {
        AtomicInteger finished = new AtomicInteger(done);
        Function<Trial, Outcome> one = t -> {
            Backend b = workers > 1 ? oneThread(ctx) : ctx.backend();
            try {
                Outcome[] out = new Outcome[1];
                train(b, ctx, t.hyper(), train, dev, t.epochs(), devEveryEpoch, null, (model, o) -> out[0] = o);
                ctx.progress().accept(String.format(Locale.ROOT, "  tune: trial %d/%d %-18s %s: dev accuracy %.4f"
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

    /** The trial network: 784→h1→h2→10, ReLU, inverted dropout after both hidden layers, softmax. */
    private static Sequential network(Dataset train, Hyper h) {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Dense(train.featureShape().size(), h.hidden1()).activation(Activation.relu()));
        layers.add(new Dropout(h.keep()));
        layers.add(new Dense(h.hidden2()).activation(Activation.relu()));
        layers.add(new Dropout(h.keep()));
        layers.add(new Dense(10));   // logits: categorical cross-entropy applies the softmax
        return new Sequential(layers);
    }

    /**
     * Trains one network on {@code backend} with a cosine learning-rate decay over {@code epochs} and
     * measures it (on {@code dev} after every epoch, or only after the last unless {@code devEveryEpoch});
     * {@code epochLines} (nullable) gets one progress line per epoch.
     */
    private static void train(Backend backend, LabContext ctx, Hyper h, Dataset train, Dataset dev, int epochs,
                              boolean devEveryEpoch, java.util.function.Consumer<String> epochLines, Finish finish) {
        long start = System.nanoTime();
        List<double[]> costs = new ArrayList<>();
        List<Double> devPerEpoch = new ArrayList<>();
        try (Sequential model = network(train, h)) {
            DType dtype = ctx.dtype();
            model.backend(backend).dtype(dtype).seed(ctx.seed());
            model.regularization(new L2Regularization(h.lambda()));
            Adam adam = new Adam(h.learningRate(), h.beta1(), 0.999, 1e-8);
            adam.schedule((initial, epoch) -> initial * 0.5 * (1 + Math.cos(Math.PI * epoch / epochs)));
            model.compile(adam, Losses.categoricalCrossEntropy(), Metrics.categoricalAccuracy());
            boolean validate = dev != null && devEveryEpoch;
            Callback record = new Callback() {
                @Override
                public void onEpochEnd(int epoch, Map<String, Double> logs) {
                    double loss = logs.get("loss");
                    double devAcc = logs.getOrDefault("val_accuracy", Double.NaN);
                    costs.add(new double[] {epoch, loss});
                    if (validate) {
                        devPerEpoch.add(devAcc);
                    }
                    if (epochLines != null) {
                        epochLines.accept(String.format(Locale.ROOT, "epoch %d/%d, cost %.4f, train accuracy %.4f,%s"
                                        + " lr %.3g", epoch + 1, epochs, loss, logs.getOrDefault("accuracy", Double.NaN),
                                validate ? String.format(Locale.ROOT, " dev accuracy %.4f,", devAcc) : "",
                                logs.get("lr")));
                    }
                }
            };
            model.fit(train, FitOptions.defaults().epochs(epochs).batchSize(BATCH).progress(false)
                    .shuffle(Shuffler.seeded(ctx.seed())).validation(validate ? dev : null).checkLossEvery(50)
                    .onNonFiniteLoss(FitOptions.NonFinite.WARN).callbacks(record));
            if (dev != null && !validate) {
                devPerEpoch.add(accuracy(model, dev));
            }
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
        sb.append(String.format("%4s  %-20s %9s %6s %9s %8s %5s %6s %9s %9s %10s %7s%n", "rank", "trial", "lr",
                "beta1", "hidden", "lambda", "keep", "epochs", "train acc", "dev acc", "final cost", "seconds"));
        VariantResult fin = null;
        for (VariantResult v : r.variants()) {
            if ("final".equals(v.extra().get("round"))) {
                fin = v;
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%4s  %-20s %s %9.4f %9.4f %10.4f %7.1f%n", v.extra().get("rank"),
                    v.name(), hyperColumns(v), v.trainAccuracy(), v.devAccuracy(), v.finalCost(), v.seconds()));
        }
        if (fin != null) {
            sb.append(String.format(Locale.ROOT, "%4s  %-20s %s %9.4f %9s %10.4f %7.1f   test acc %.4f%n", "",
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
