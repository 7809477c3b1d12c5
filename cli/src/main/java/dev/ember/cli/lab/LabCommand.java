package dev.ember.cli.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ember.core.Backends;
import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code ember lab NAME}: the classic experiments of improving deep networks, each as a table on
 * stderr, PNG plots in {@code --out}, and with {@code --json} one JSON document on stdout.
 */
@Command(name = "lab",
        mixinStandardHelpOptions = true,
        description = {"Runs a classic experiment of improving deep networks and reports each variant's accuracies "
                + "and cost curve.",
                "Experiments: init, regularization, gradcheck, optimizers, batchnorm, gradients, softmax, tape, tune, or 'all' (in that order);"
                        + " 'list' lists them."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the experiment ran", "1:it failed (bad data, unusable backend, ...)", "2:invalid command line"})
public final class LabCommand implements Callable<Integer> {
    /** The experiments in the order {@code all} runs them. */
    static final List<Experiment> EXPERIMENTS = List.of(new InitExperiment(), new RegularizationExperiment(),
            new GradcheckExperiment(), new OptimizersExperiment(), new BatchNormExperiment(), new GradientsExperiment(),
            new SoftmaxExperiment(), new TapeExperiment(), new TuneExperiment());

    @Parameters(index = "0", paramLabel = "NAME", description = "init, regularization, gradcheck, optimizers, batchnorm, gradients, softmax, tape, tune, all, list")
    String name;

    @Option(names = "--backend", description = "Backend to run on (default: the configured one, as 'auto' picks).")
    String backend;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initialisers, dropout masks and shuffles "
            + "(default: ${DEFAULT-VALUE}); ignored with --init-rng numpy, which uses the originals' seeds.")
    long seed;

    @Option(names = "--dtype", defaultValue = "f32", description = "f32 or f64 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--init-rng", defaultValue = "philox", description = "philox (Ember's counter-based RNG) or numpy "
            + "(weights, dropout masks and shuffles drawn exactly as the numpy originals draw them) "
            + "(default: ${DEFAULT-VALUE}).")
    String initRng;

    @Option(names = "--out", description = "Directory for PNG plots (cost curves, decision boundaries).")
    Path out;

    @Option(names = "--save", description = "Directory for a checkpoint of each trained variant "
            + "(EXPERIMENT-VARIANT.safetensors; inspect with 'ember inspect', load with Model.load).")
    Path save;

    @Option(names = "--data", description = "Fashion-MNIST directory (default: /usr/share/datasets/fashion-mnist).")
    Path data;

    @Option(names = "--quick", description = "A shortened run (1/20 of the iterations/epochs), for smoke tests.")
    boolean quick;

    @Option(names = "--scale", description = "Fraction of the published iteration/epoch counts to run (default 1; "
            + "--quick means 0.05).")
    Double scale;

    @Option(names = "--json", description = "Print the result as one JSON object on stdout (for 'all': "
            + "{\"experiments\": [...]}).")
    boolean json;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (name.equals("list")) {
            for (Experiment e : EXPERIMENTS) {
                err.printf("%-16s %s%n", e.name(), e.description());
            }
            err.flush();
            return CommandLine.ExitCode.OK;
        }
        List<Experiment> chosen = new ArrayList<>();
        if (name.equals("all")) {
            chosen.addAll(EXPERIMENTS);
        } else {
            EXPERIMENTS.stream().filter(e -> e.name().equals(name)).findFirst().ifPresentOrElse(chosen::add, () -> {
                throw new CommandLine.ParameterException(spec.commandLine(), "lab: unknown experiment '" + name
                        + "' (" + String.join(", ", EXPERIMENTS.stream().map(Experiment::name).toList())
                        + ", all, list)");
            });
        }
        DType type = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "f32", "float32" -> DType.F32;
            case "f64", "float64" -> DType.F64;
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "lab: --dtype must be f32 or f64, got '"
                    + dtype + "'");
        };
        boolean numpy = switch (initRng.toLowerCase(Locale.ROOT)) {
            case "philox" -> false;
            case "numpy" -> true;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "lab: --init-rng must be philox or numpy, got '" + initRng + "'");
        };
        double s = scale != null ? scale : quick ? 0.05 : 1;
        if (!(s > 0 && s <= 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "lab: --scale must be in (0, 1], got " + s);
        }
        // fail before any training when plots or checkpoints could not be written, or data is missing
        probeWritable(out, "--out");
        probeWritable(save, "--save");
        for (Experiment e : chosen) {
            LabData.FashionNeeds needs = e.fashionNeeds(s);
            if (needs != null) {
                LabData.checkFashion(data, e.name(), needs);
            }
        }
        Backend b = Backends.byName(backend != null ? backend : Backends.requestedName());
        LabContext ctx = new LabContext(b, type, seed, numpy, s, out, data, line -> {
            err.println(line);
            err.flush();
        }, save);
        List<ExperimentResult> results = new ArrayList<>();
        for (Experiment e : chosen) {
            err.printf("ember lab %s on %s (%s, %s rng%s) ...%n", e.name(), b.name(), ctx.dtypeName(),
                    numpy ? "numpy" : "philox", s == 1 ? "" : String.format(Locale.ROOT, ", scale %.3g", s));
            err.flush();
            ExperimentResult r = e.run(ctx);
            results.add(r);
            err.print(e.table(r));
            err.flush();
        }
        if (json) {
            PrintWriter o = ((dev.ember.cli.EmberCommand) spec.root().userObject()).json();
            Object doc = results.size() == 1 && !name.equals("all") ? results.get(0) : Map.of("experiments", results);
            o.println(write(doc));
            o.flush();
        }
        return CommandLine.ExitCode.OK;
    }

    /** Creates {@code dir} and writes and deletes a file in it, so that a late write cannot fail for want of rights. */
    private void probeWritable(Path dir, String option) {
        if (dir == null) {
            return;
        }
        try {
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Files.delete(java.nio.file.Files.createTempFile(dir, ".ember-probe-", ".tmp"));
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "lab: " + option + " " + dir
                    + " cannot be written: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    static String write(Object doc) {
        try {
            return MAPPER.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("lab: cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Builds the result record of a finished experiment. */
    static ExperimentResult result(String experiment, LabContext ctx, long startNanos, List<VariantResult> variants,
                                   Plots plots, List<String> notes) {
        return new ExperimentResult(experiment, ctx.backend().name(), ctx.numpyRng() ? 3 : ctx.seed(), ctx.dtypeName(),
                ctx.numpyRng() ? "numpy" : "philox", ctx.scale(), (System.nanoTime() - startNanos) / 1e9,
                List.copyOf(variants), plots.written(), notes);
    }

    /** The experiment's table: one row per variant. */
    static String table(ExperimentResult r) {
        StringBuilder sb = new StringBuilder(heading(r));
        boolean gradcheck = r.variants().stream().anyMatch(v -> v.extra().containsKey("relative_difference"));
        if (gradcheck) {
            sb.append(String.format("%-14s %-20s %-10s %s%n", "variant", "relative difference", "verdict",
                    "per parameter"));
            for (VariantResult v : r.variants()) {
                @SuppressWarnings("unchecked")
                Map<String, Double> per = (Map<String, Double>) v.extra().get("per_parameter");
                StringBuilder p = new StringBuilder();
                per.forEach((k, d) -> p.append(String.format(Locale.ROOT, "%s %.1e  ", k, d)));
                sb.append(String.format(Locale.ROOT, "%-14s %-20.3e %-10s %s%n", v.name(),
                        (Double) v.extra().get("relative_difference"), v.extra().get("verdict"), p.toString().strip()));
            }
        } else {
            boolean dev = r.variants().stream().anyMatch(v -> v.devAccuracy() != null);
            boolean test = r.variants().stream().anyMatch(v -> v.testAccuracy() != null);
            Map<String, Function<VariantResult, Double>> cols = new LinkedHashMap<>();
            cols.put("train acc", VariantResult::trainAccuracy);
            if (dev) {
                cols.put("dev acc", VariantResult::devAccuracy);
            }
            if (test) {
                cols.put("test acc", VariantResult::testAccuracy);
            }
            sb.append(String.format("%-16s", "variant"));
            cols.keySet().forEach(k -> sb.append(String.format("%10s", k)));
            sb.append(String.format("%14s %9s%n", "final cost", "seconds"));
            for (VariantResult v : r.variants()) {
                sb.append(String.format("%-16s", v.name()));
                cols.values().forEach(f -> {
                    Double a = f.apply(v);
                    sb.append(a == null ? String.format("%10s", "-") : String.format(Locale.ROOT, "%10.4f", a));
                });
                sb.append(String.format(Locale.ROOT, "%14.6f %9.2f%n", v.finalCost(), v.seconds()));
            }
        }
        return sb.append(footer(r)).toString();
    }

    /** The table's first line: the experiment and how it ran. */
    static String heading(ExperimentResult r) {
        return String.format(Locale.ROOT, "%n%s  (backend %s, %s, %s rng, seed %d%s, %.1f s)%n", r.experiment(),
                r.backend(), r.dtype(), r.initRng(), r.seed(),
                r.scale() == 1 ? "" : String.format(Locale.ROOT, ", scale %.3g", r.scale()), r.seconds());
    }

    /** The table's last lines: the notes and the plots written. */
    static String footer(ExperimentResult r) {
        StringBuilder sb = new StringBuilder();
        for (String n : r.notes()) {
            sb.append("  ").append(n).append('\n');
        }
        if (!r.plots().isEmpty()) {
            sb.append("  plots: ").append(String.join(", ", r.plots())).append('\n');
        }
        return sb.toString();
    }
}
