package dev.ember.nn.checkpoint;

import dev.ember.nn.losses.BinaryCrossEntropy;
import dev.ember.nn.losses.CategoricalCrossEntropy;
import dev.ember.nn.losses.L2Regularization;
import dev.ember.nn.losses.Loss;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.losses.MeanSquaredError;
import dev.ember.nn.metrics.BinaryAccuracy;
import dev.ember.nn.metrics.CategoricalAccuracy;
import dev.ember.nn.metrics.Metric;
import dev.ember.nn.model.Model;
import dev.ember.nn.optim.Adam;
import dev.ember.nn.optim.AdamW;
import dev.ember.nn.optim.GradientClipping;
import dev.ember.nn.optim.Momentum;
import dev.ember.nn.optim.Nesterov;
import dev.ember.nn.optim.Optimizer;
import dev.ember.nn.optim.RmsProp;
import dev.ember.nn.optim.Sgd;
import dev.ember.nn.schedule.CosineDecay;
import dev.ember.nn.schedule.ExponentialDecay;
import dev.ember.nn.schedule.InverseTimeDecay;
import dev.ember.nn.schedule.LearningRateSchedule;
import dev.ember.nn.schedule.StepDecay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code compile} was given — optimiser (with schedule and clipping), loss, metrics and L2 — as
 * checkpoint metadata ({@code training}), so that {@code Model.load} returns a model ready to resume.
 * Only Ember's own kinds have a form; anything else is recorded as {@code "custom"} with the reason,
 * and such a model loads uncompiled (compile it, then {@code restore} the checkpoint).
 */
final class TrainingSetup {
    private TrainingSetup() {
    }

    /** The metadata value for a model (compiled or not). */
    static String toJson(Model model) {
        Map<String, Object> m = new LinkedHashMap<>();
        Optimizer o = model.optimizer();
        if (o == null) {
            m.put("compiled", false);
            return Json.write(m);
        }
        String why = unsupported(model);
        m.put("compiled", why == null);
        if (why != null) {
            m.put("why", why);
        }
        Map<String, Object> opt = new LinkedHashMap<>();
        opt.put("name", o.name());
        opt.put("learning_rate", o.initialLearningRate());
        opt.put("rate_factor", o.rateFactor());
        opt.put("hyperparameters", new LinkedHashMap<>(new java.util.TreeMap<>(o.hyperparameters())));
        opt.put("slots", List.copyOf(o.slotNames()));
        if (o.schedule() instanceof ExponentialDecay e) {
            opt.put("schedule", Map.of("kind", "exponential_decay", "base", e.base()));
        } else if (o.schedule() instanceof InverseTimeDecay d) {
            opt.put("schedule", Map.of("kind", "inverse_time_decay", "decay_rate", d.decayRate(),
                    "interval", (long) d.interval()));
        } else if (o.schedule() instanceof StepDecay s) {
            opt.put("schedule", Map.of("kind", "step_decay", "factor", s.factor(), "every", (long) s.every()));
        } else if (o.schedule() instanceof CosineDecay c) {
            opt.put("schedule", Map.of("kind", "cosine_decay", "warmup_epochs", (long) c.warmupEpochs(),
                    "decay_epochs", (long) c.decayEpochs(), "floor", c.floor()));
        }
        if (o.clipping() != null) {
            opt.put("clipping", Map.of("kind", o.clipping().kind(), "limit", o.clipping().limit()));
        }
        m.put("optimizer", opt);
        if (why == null) {
            m.put("loss", lossName(model.loss()));
            List<Object> metrics = new ArrayList<>();
            for (Metric metric : model.metrics()) {
                metrics.add(metric instanceof BinaryAccuracy b
                        ? Map.of("kind", "binary_accuracy", "threshold", b.threshold())
                        : Map.of("kind", "categorical_accuracy"));
            }
            m.put("metrics", metrics);
        }
        m.put("l2", model.regularization() == null ? 0.0 : model.regularization().lambda());
        return Json.write(m);
    }

    /** Why this model's compile arguments have no checkpoint form, or null. */
    private static String unsupported(Model model) {
        Optimizer o = model.optimizer();
        if (!List.of("sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw").contains(o.name())) {
            return "optimizer '" + o.name() + "' is not one of Ember's";
        }
        if (o.schedule() != null && !(o.schedule() instanceof ExponentialDecay || o.schedule() instanceof InverseTimeDecay
                || o.schedule() instanceof StepDecay || o.schedule() instanceof CosineDecay)) {
            return "the learning-rate schedule " + o.schedule().getClass().getName() + " is not one of Ember's";
        }
        if (lossName(model.loss()) == null) {
            return "loss '" + model.loss().name() + "' is not one of Ember's";
        }
        for (Metric metric : model.metrics()) {
            if (!(metric instanceof BinaryAccuracy || metric instanceof CategoricalAccuracy)) {
                return "metric '" + metric.name() + "' is not one of Ember's";
            }
        }
        return null;
    }

    private static String lossName(Loss loss) {
        return switch (loss) {
            case BinaryCrossEntropy b -> "binary_cross_entropy";
            case CategoricalCrossEntropy c -> "categorical_cross_entropy";
            case MeanSquaredError s -> "mean_squared_error";
            default -> null;
        };
    }

    /** The optimiser name recorded, or null when the model was not compiled. */
    static String optimizerName(Map<String, String> metadata) {
        Config c = Config.parse(metadata, "training");
        return c.has("optimizer") ? c.object("optimizer").string("name") : null;
    }

    /**
     * Compiles {@code model} as recorded; returns null when done, or why it was left uncompiled (the
     * file recorded no compile, or one with a custom part).
     */
    static String compile(Model model, Map<String, String> metadata) {
        Config c = Config.parse(metadata, "training");
        if (!c.bool("compiled")) {
            return c.has("why") ? c.string("why") : "the model was saved before compile";
        }
        try {
            Config o = c.object("optimizer");
            Config h = o.object("hyperparameters");
            double lr = o.number("learning_rate");
            Optimizer opt = switch (o.string("name")) {
                case "sgd" -> new Sgd(lr);
                case "momentum" -> new Momentum(lr, h.number("beta"));
                case "nesterov" -> new Nesterov(lr, h.number("beta"));
                case "rmsprop" -> new RmsProp(lr, h.number("beta"), h.number("epsilon"));
                case "adam" -> new Adam(lr, h.number("beta1"), h.number("beta2"), h.number("epsilon"));
                case "adamw" -> new AdamW(lr, h.number("weight_decay"), h.number("beta1"), h.number("beta2"),
                        h.number("epsilon"));
                default -> throw o.bad("name", "sgd, momentum, nesterov, rmsprop, adam or adamw");
            };
            if (o.has("schedule")) {
                opt.schedule(schedule(o.object("schedule")));
            }
            if (o.has("rate_factor")) {   // files from before ReduceOnPlateau have none: 1
                opt.rateFactor(o.number("rate_factor"));
            }
            if (o.has("clipping")) {
                Config k = o.object("clipping");
                opt.clipping(switch (k.string("kind")) {
                    case "global_norm" -> GradientClipping.byGlobalNorm(k.number("limit"));
                    case "value" -> GradientClipping.byValue(k.number("limit"));
                    default -> throw k.bad("kind", "global_norm or value");
                });
            }
            Loss loss = switch (c.string("loss")) {
                case "binary_cross_entropy" -> Losses.binaryCrossEntropy();
                case "categorical_cross_entropy" -> Losses.categoricalCrossEntropy();
                case "mean_squared_error" -> Losses.meanSquaredError();
                default -> throw c.bad("loss", "binary_cross_entropy, categorical_cross_entropy or mean_squared_error");
            };
            List<?> raw = c.list("metrics", 16);
            Metric[] metrics = new Metric[raw.size()];
            for (int i = 0; i < metrics.length; i++) {
                Config m = new Config("training.metrics[" + i + "]", raw.get(i));
                metrics[i] = switch (m.string("kind")) {
                    case "binary_accuracy" -> new BinaryAccuracy(m.number("threshold"));
                    case "categorical_accuracy" -> new CategoricalAccuracy();
                    default -> throw m.bad("kind", "binary_accuracy or categorical_accuracy");
                };
            }
            double l2 = c.number("l2");
            if (l2 > 0) {
                model.regularization(new L2Regularization(l2));
            }
            model.compile(opt, loss, metrics);
            return null;
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(null, "metadata training: " + e.getMessage());
        }
    }

    private static LearningRateSchedule schedule(Config s) {
        return switch (s.string("kind")) {
            case "exponential_decay" -> new ExponentialDecay(s.number("base"));
            case "inverse_time_decay" -> new InverseTimeDecay(s.number("decay_rate"),
                    (int) s.integer("interval", 1, Integer.MAX_VALUE));
            case "step_decay" -> new StepDecay(s.number("factor"), (int) s.integer("every", 1, Integer.MAX_VALUE));
            case "cosine_decay" -> new CosineDecay((int) s.integer("warmup_epochs", 0, Integer.MAX_VALUE),
                    (int) s.integer("decay_epochs", 1, Integer.MAX_VALUE), s.number("floor"));
            default -> throw s.bad("kind", "exponential_decay, inverse_time_decay, step_decay or cosine_decay");
        };
    }
}
