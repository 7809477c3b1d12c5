package dev.ember.nn.checkpoint;

import dev.ember.core.Backends;
import dev.ember.core.DType;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.model.Model;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.optim.Optimizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Model checkpoints in the safetensors format: the parameters (batch-norm running statistics
 * included) under their variable names, the optimiser's state under
 * {@code optimizer/<variable>/<slot>}, and in {@code __metadata__} the architecture, the compile
 * settings, the Ember version and the training position ({@code epoch}, {@code step},
 * {@code training_passes}, {@code optimizer_steps}). Behind {@code Model.save}, {@code Model.load}
 * and {@code Model.restore}.
 */
public final class Checkpoints {
    /** The {@code __metadata__.format} of an Ember checkpoint. */
    public static final String FORMAT = "ember-checkpoint";
    private static final System.Logger LOG = System.getLogger(Checkpoints.class.getName());
    private static final String OPTIMIZER_PREFIX = "optimizer/";

    private Checkpoints() {
    }

    /** Where a restored model stands in its training. */
    public record Position(int epoch, long step, long trainingPasses) {
    }

    /** Writes {@code model} (built) to {@code path} atomically. */
    public static void save(Model model, Path path, Position position) {
        Architecture architecture = Architecture.of(model);
        SafetensorsWriter w = new SafetensorsWriter()
                .metadata("format", FORMAT)
                .metadata("format_version", "1")
                .metadata("ember_version", version())
                .metadata("architecture", architecture.toJson())
                .metadata("training", TrainingSetup.toJson(model))
                .metadata("epoch", Integer.toString(position.epoch()))
                .metadata("step", Long.toString(position.step()))
                .metadata("training_passes", Long.toString(position.trainingPasses()));
        TensorDType dtype = TensorDType.of(model.dtype());
        for (Variable v : model.variables()) {
            w.tensor(v.name(), dtype, longs(v.shape()), v.value().toDoubleArray());
        }
        Optimizer o = model.optimizer();
        if (o != null) {
            w.metadata("optimizer_steps", Integer.toString(o.iterations()));
            for (Variable v : model.trainableVariables()) {
                Tensor[] state = o.state(v);
                if (state != null) {
                    for (int i = 0; i < state.length; i++) {
                        w.tensor(OPTIMIZER_PREFIX + v.name() + "/" + o.slotNames().get(i), dtype, longs(v.shape()),
                                state[i].toDoubleArray());
                    }
                }
            }
        }
        w.write(path);
    }

    /**
     * Rebuilds the model a checkpoint describes on {@code backend} (null: the default backend) in
     * {@code dtype} (null: the dtype it was saved in), compiles it as it was compiled when the
     * settings have a checkpoint form, and restores its weights, optimiser state and position.
     * Everything is checked before the model is built.
     */
    public static Sequential load(Path path, Backend backend, DType dtype) {
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            Map<String, String> meta = file.header().metadata();
            Architecture architecture;
            try {
                requireEmber(meta);
                architecture = Architecture.parse(meta);
                checkTensors(file.header(), architecture.parameters(), TrainingSetup.optimizerName(meta), null);
            } catch (CheckpointException e) {
                throw e.in(path.toString());
            }
            Sequential model = new Sequential(architecture.newLayers());
            try {
                model.backend(backend == null ? Backends.get() : backend)
                        .dtype(dtype == null ? architecture.dtype() : dtype).seed(architecture.seed());
                model.build(Shape.of(architecture.input()));
                String why;
                try {
                    why = TrainingSetup.compile(model, meta);
                } catch (CheckpointException e) {
                    throw e.in(path.toString());
                }
                if (why != null) {
                    LOG.log(System.Logger.Level.INFO, "load " + path + ": the model is not compiled (" + why
                            + "); compile it, then restore(" + path.getFileName() + ") to resume training");
                }
                Position p = restore(model, file, path.toString());
                model.position(p.epoch(), p.step(), p.trainingPasses());
                return model;
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }
    }

    /**
     * Loads a checkpoint's weights, running statistics and (when the model is compiled with the same
     * kind of optimiser) optimiser state into {@code model}, which must have exactly the file's
     * parameters; returns the recorded position. Nothing is changed unless every check passes.
     */
    public static Position restore(Model model, Path path) {
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            return restore(model, file, path.toString());
        }
    }

    private static Position restore(Model model, SafetensorsFile file, String where) {
        SafetensorsHeader header = file.header();
        Map<String, String> meta = header.metadata();
        Map<String, Variable> variables = new LinkedHashMap<>();
        Map<String, long[]> expected = new LinkedHashMap<>();
        for (Variable v : model.variables()) {
            variables.put(v.name(), v);
            expected.put(v.name(), longs(v.shape()));
        }
        Optimizer o = model.optimizer();
        Position position;
        String savedOptimizer;
        try {
            requireEmber(meta);
            savedOptimizer = TrainingSetup.optimizerName(meta);
            checkTensors(header, expected, savedOptimizer, o);
            position = new Position((int) count(meta, "epoch", Integer.MAX_VALUE), count(meta, "step", Long.MAX_VALUE),
                    count(meta, "training_passes", Long.MAX_VALUE));
        } catch (CheckpointException e) {
            throw e.in(where);
        }
        for (Map.Entry<String, Variable> e : variables.entrySet()) {
            e.getValue().assign(file.doubles(header.tensor(e.getKey())));
        }
        if (o != null && o.name().equals(savedOptimizer)) {
            Map<Variable, double[][]> slots = new HashMap<>();
            List<String> names = o.slotNames();
            for (Variable v : model.trainableVariables()) {
                // plain SGD keeps no slots: nothing to read back but its step count
                if (!names.isEmpty() && header.tensor(OPTIMIZER_PREFIX + v.name() + "/" + names.getFirst()) != null) {
                    double[][] values = new double[names.size()][];
                    for (int i = 0; i < names.size(); i++) {
                        values[i] = file.doubles(header.tensor(OPTIMIZER_PREFIX + v.name() + "/" + names.get(i)));
                    }
                    slots.put(v, values);
                }
            }
            o.restore((int) count(meta, "optimizer_steps", Integer.MAX_VALUE), slots);
        } else if (savedOptimizer != null) {
            LOG.log(System.Logger.Level.INFO, "restore " + where + ": optimizer state for '" + savedOptimizer
                    + "' not restored (the model is " + (o == null ? "not compiled" : "compiled with '" + o.name() + "'")
                    + ")");
        }
        return position;
    }

    /**
     * The file's tensors must be the parameters {@code expected} (names and shapes, F32 or F64) plus,
     * when {@code optimizer} is the kind the file was saved with (or null while loading), its state
     * tensors for trainable parameters; anything else is named as the violation.
     */
    private static void checkTensors(SafetensorsHeader header, Map<String, long[]> expected, String savedOptimizer,
                                     Optimizer optimizer) {
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            TensorEntry t = header.tensor(e.getKey());
            if (t == null) {
                throw new CheckpointException(e.getKey(), "the model has this parameter, " + Arrays.toString(e.getValue())
                        + ", but the file does not");
            }
            checkEntry(t, e.getValue(), "the model's parameter");
        }
        boolean sameOptimizer = optimizer == null || optimizer.name().equals(savedOptimizer);
        for (TensorEntry t : header.tensors()) {
            if (expected.containsKey(t.name())) {
                continue;
            }
            if (!t.name().startsWith(OPTIMIZER_PREFIX) || savedOptimizer == null) {
                throw new CheckpointException(t.name(), "is not a parameter of the model");
            }
            String rest = t.name().substring(OPTIMIZER_PREFIX.length());
            int slash = rest.lastIndexOf('/');
            long[] shape = slash < 0 ? null : expected.get(rest.substring(0, slash));
            if (shape == null) {
                throw new CheckpointException(t.name(), "is optimiser state for no parameter of the model");
            }
            if (sameOptimizer && optimizer != null) {
                List<String> slots = optimizer.slotNames();
                if (!slots.contains(rest.substring(slash + 1))) {
                    throw new CheckpointException(t.name(), "is not a state tensor of '" + optimizer.name() + "' " + slots);
                }
                for (String s : slots) {
                    if (header.tensor(OPTIMIZER_PREFIX + rest.substring(0, slash) + "/" + s) == null) {
                        throw new CheckpointException(OPTIMIZER_PREFIX + rest.substring(0, slash) + "/" + s,
                                "is missing: '" + optimizer.name() + "' keeps " + slots + " per parameter");
                    }
                }
            }
            checkEntry(t, shape, "its parameter");
        }
    }

    private static void checkEntry(TensorEntry t, long[] shape, String what) {
        if (t.dtype() != TensorDType.F32 && t.dtype() != TensorDType.F64) {
            throw new CheckpointException(t.name(), "dtype " + t.dtype() + " cannot be loaded (F32 or F64)");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new CheckpointException(t.name(), "has shape " + t.shapeText() + " in the file but " + what + " is "
                    + Arrays.toString(shape));
        }
    }

    private static void requireEmber(Map<String, String> meta) {
        if (!FORMAT.equals(meta.get("format"))) {
            throw new CheckpointException(null, "not an Ember checkpoint (__metadata__.format is "
                    + (meta.get("format") == null ? "missing" : "'" + meta.get("format") + "'")
                    + ", not '" + FORMAT + "'); read its tensors with SafetensorsFile");
        }
    }

    private static long count(Map<String, String> meta, String key, long max) {
        String s = meta.get(key);
        if (s == null) {
            return 0;
        }
        try {
            long n = Long.parseLong(s);
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new CheckpointException(null, "__metadata__ '" + key + "' must be an integer in [0, " + max + "], got '"
                + s + "'");
    }

    private static long[] longs(Shape s) {
        int[] d = s.dims();
        long[] out = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = d[i];
        }
        return out;
    }

    /** Ember's version, from a resource Maven fills in at build time. */
    public static String version() {
        try (InputStream in = Checkpoints.class.getResourceAsStream("ember-nn.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Validates an open file completely without allocating anything on a device: the format's rules
     * ({@link SafetensorsHeader}) were checked when it was opened; an Ember checkpoint's metadata and
     * tensors are then checked against the architecture it records. Other safetensors files pass on
     * the format alone. Returns the header.
     */
    public static SafetensorsHeader validate(SafetensorsFile file, String where) {
        SafetensorsHeader header = file.header();
        Map<String, String> meta = header.metadata();
        if (!meta.containsKey("format")) {
            return header;
        }
        try {
            requireEmber(meta);
            Architecture a = Architecture.parse(meta);
            checkTensors(header, a.parameters(), TrainingSetup.optimizerName(meta), null);
            count(meta, "epoch", Integer.MAX_VALUE);
            count(meta, "step", Long.MAX_VALUE);
            count(meta, "training_passes", Long.MAX_VALUE);
            count(meta, "optimizer_steps", Integer.MAX_VALUE);
        } catch (CheckpointException e) {
            throw e.in(where);
        }
        return header;
    }
}
