package dev.ember.nn.checkpoint;

import dev.ember.core.DType;
import dev.ember.core.Shape;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.BatchNorm;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.layers.Dropout;
import dev.ember.nn.layers.Layer;
import dev.ember.nn.model.Model;
import dev.ember.nn.model.Sequential;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link Sequential} model's architecture as checkpoint metadata: the per-example input shape,
 * dtype, seed and each layer's kind and configuration. {@link #parameters} lists the parameter
 * tensors that architecture has, computed from the configuration alone, so a file can be checked
 * against it before a single weight is allocated.
 */
record Architecture(int[] input, DType dtype, long seed, List<Map<String, Object>> layers) {
    /** More layers than any sane checkpoint has: bounds the work a hostile header can ask for. */
    static final int MAX_LAYERS = 10_000;

    /** The architecture of a built model; fails, naming the layer, for a layer type with no checkpoint form. */
    static Architecture of(Model model) {
        if (!(model instanceof Sequential) || !model.isBuilt()) {
            throw new IllegalArgumentException("save: only a built Sequential model has a checkpoint form (got "
                    + model.getClass().getSimpleName() + (model.isBuilt() ? "" : ", not built") + ")");
        }
        List<Map<String, Object>> layers = new ArrayList<>();
        for (Layer layer : model.layers()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", layer.name());
            switch (layer) {
                case Dense d -> {
                    c.put("kind", "dense");
                    c.put("units", (long) d.units());
                    c.put("use_bias", d.useBias());
                    c.put("activation", d.activation().function().name().toLowerCase(Locale.ROOT));
                    c.put("slope", d.activation().slope());
                }
                case Activation a -> {
                    c.put("kind", "activation");
                    c.put("function", a.function().name().toLowerCase(Locale.ROOT));
                    c.put("slope", a.slope());
                }
                case Dropout d -> {
                    c.put("kind", "dropout");
                    c.put("keep_prob", d.keepProb());
                }
                case BatchNorm b -> {
                    c.put("kind", "batch_norm");
                    c.put("momentum", b.momentum());
                    c.put("epsilon", b.epsilon());
                }
                default -> throw new IllegalArgumentException("save: layer '" + layer.name() + "' ("
                        + layer.getClass().getName() + ") has no checkpoint form; save the weights of a model"
                        + " built from Dense, Activation, Dropout and BatchNorm layers");
            }
            layers.add(c);
        }
        return new Architecture(model.inputShape().dims(), model.dtype(), model.seed(), layers);
    }

    String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", "sequential");
        List<Long> in = new ArrayList<>();
        for (int d : input) {
            in.add((long) d);
        }
        m.put("input", in);
        m.put("dtype", dtype.name());
        m.put("seed", seed);
        m.put("layers", layers);
        return Json.write(m);
    }

    /** Reads and checks the metadata's {@code architecture} (types, ranges; not yet the tensors). */
    static Architecture parse(Map<String, String> metadata) {
        Config c = Config.parse(metadata, "architecture");
        if (!c.string("model").equals("sequential")) {
            throw c.bad("model", "'sequential'");
        }
        String dt = c.string("dtype");
        if (!dt.equals("F32") && !dt.equals("F64")) {
            throw c.bad("dtype", "F32 or F64");
        }
        int[] input = c.dims("input");
        long seed = c.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        List<?> raw = c.list("layers", MAX_LAYERS);
        if (raw.isEmpty()) {
            throw c.bad("layers", "a non-empty array");
        }
        List<Map<String, Object>> layers = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Config l = new Config("architecture.layers[" + i + "]", raw.get(i));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", l.string("name"));
            String kind = l.string("kind");
            m.put("kind", kind);
            switch (kind) {
                case "dense" -> {
                    m.put("units", l.integer("units", 1, Integer.MAX_VALUE));
                    m.put("use_bias", l.bool("use_bias"));
                    m.put("activation", l.string("activation"));
                    m.put("slope", l.number("slope"));
                }
                case "activation" -> {
                    m.put("function", l.string("function"));
                    m.put("slope", l.number("slope"));
                }
                case "dropout" -> m.put("keep_prob", l.number("keep_prob"));
                case "batch_norm" -> {
                    m.put("momentum", l.number("momentum"));
                    m.put("epsilon", l.number("epsilon"));
                }
                default -> throw l.bad("kind", "dense, activation, dropout or batch_norm");
            }
            layers.add(m);
        }
        return new Architecture(input, DType.valueOf(dt), seed, layers);
    }

    /**
     * The parameter tensors (name to shape) of this architecture, in model order, computed without
     * building anything; fails on a layer that cannot take its input.
     */
    Map<String, long[]> parameters() {
        Map<String, long[]> out = new LinkedHashMap<>();
        long[] shape = new long[input.length];
        for (int i = 0; i < input.length; i++) {
            shape[i] = input[i];
        }
        for (int i = 0; i < layers.size(); i++) {
            Map<String, Object> l = layers.get(i);
            String name = (String) l.get("name");
            switch ((String) l.get("kind")) {
                case "dense" -> {
                    requireVector(i, name, shape);
                    long units = (Long) l.get("units");
                    out.put(name + "/kernel", new long[] {shape[0], units});
                    if ((Boolean) l.get("use_bias")) {
                        out.put(name + "/bias", new long[] {units});
                    }
                    shape = new long[] {units};
                }
                case "batch_norm" -> {
                    requireVector(i, name, shape);
                    for (String s : List.of("gamma", "beta", "moving_mean", "moving_variance")) {
                        out.put(name + "/" + s, shape.clone());
                    }
                }
                default -> {
                    // activation and dropout keep the shape and have no parameters
                }
            }
        }
        return out;
    }

    private static void requireVector(int i, String name, long[] shape) {
        if (shape.length != 1) {
            throw new CheckpointException(null, "metadata architecture.layers[" + i + "] ('" + name
                    + "') needs [batch, features] inputs, got per-example shape " + java.util.Arrays.toString(shape));
        }
    }

    /** The layers, built from the configuration (layer constructors check the values). */
    List<Layer> newLayers() {
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Map<String, Object> l = layers.get(i);
            try {
                Layer layer = switch ((String) l.get("kind")) {
                    case "dense" -> new Dense((int) (long) (Long) l.get("units"))
                            .activation(activation((String) l.get("activation"), (Double) l.get("slope")))
                            .useBias((Boolean) l.get("use_bias"));
                    case "activation" -> activation((String) l.get("function"), (Double) l.get("slope"));
                    case "dropout" -> new Dropout((Double) l.get("keep_prob"));
                    case "batch_norm" -> new BatchNorm((Double) l.get("momentum"), (Double) l.get("epsilon"));
                    default -> throw new IllegalStateException("unreachable: kinds are checked by parse");
                };
                out.add(layer.named((String) l.get("name")));
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(null, "metadata architecture.layers[" + i + "]: " + e.getMessage());
            }
        }
        return out;
    }

    private static Activation activation(String function, double slope) {
        Activation.Kind kind;
        try {
            kind = Activation.Kind.valueOf(function.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown activation '" + function + "'");
        }
        return kind == Activation.Kind.LEAKY_RELU ? Activation.leakyRelu(slope) : Activation.of(function);
    }
}
