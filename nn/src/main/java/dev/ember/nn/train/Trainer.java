package dev.ember.nn.train;

import dev.ember.core.Tensor;
import dev.ember.core.TracedFunction;
import dev.ember.core.Tracing;
import dev.ember.nn.data.Batch;
import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.DeviceLoader;
import dev.ember.nn.model.Model;
import dev.ember.nn.model.StepResult;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code fit} loop: per epoch, set the scheduled learning rate, load the shuffled data to the
 * device once, run a training step per mini-batch accumulating loss and metrics on the device, then
 * read them back once, validate, record, and call the callbacks. The step and its accumulation run
 * as one traced function ({@link FitOptions#traced}) unless that is off or the model cannot be traced. The loss is checked for NaN and
 * infinity every {@link FitOptions#checkLossEvery} steps (a one-element read of the running sum).
 */
public final class Trainer {
    private static final System.Logger LOG = System.getLogger(Trainer.class.getName());

    private final Model model;
    private final FitOptions options;

    public Trainer(Model model, FitOptions options) {
        this.model = model;
        this.options = options;
    }

    public History fit(Dataset data) {
        History history = new History();
        int batchSize = Math.min(options.batchSize(), data.size());
        int steps = data.batchCount(batchSize);
        if (options.initialEpoch() >= options.epochs()) {
            throw new IllegalArgumentException("fit: initialEpoch " + options.initialEpoch()
                    + " must be below epochs " + options.epochs() + " (epochs is the total, as in Keras)");
        }
        List<Callback> callbacks = options.callbacks();
        callbacks.forEach(c -> c.setModel(model));
        callbacks.forEach(c -> c.onTrainBegin(options.epochs(), steps));
        try (DeviceLoader train = new DeviceLoader(data, model.backend(), model.dtype());
             DeviceLoader validation = options.validation() == null ? null
                     : new DeviceLoader(options.validation(), model.backend(), model.dtype());
             Evaluator.Accumulators acc = new Evaluator.Accumulators(model, model.metrics().size());
             ProgressReporter progress = ProgressReporter.create(options.progress());
             TracedFunction tracedStep = tracedStep(acc)) {
            if (validation != null) {
                validation.load(null);
            }
            boolean warned = false;
            for (int epoch = options.initialEpoch(); epoch < options.epochs(); epoch++) {
                model.optimizer().beginEpoch(epoch);
                train.load(options.shuffler().permutation(data.size(), epoch));
                acc.reset();
                progress.beginEpoch(epoch, options.epochs(), steps);
                Iterator<Batch> it = train.batches(batchSize);
                while (it.hasNext()) {
                    try (Batch b = it.next()) {
                        if (tracedStep != null) {
                            tracedStep.call(b.features(), b.labels());
                        } else {
                            step(b.features(), b.labels(), acc);
                        }
                        boolean due = (b.index() + 1) % options.checkLossEvery() == 0 || !it.hasNext();
                        if (!warned && due) {
                            double sum = acc.lossSum();
                            if (!Double.isFinite(sum)) {
                                NonFiniteLossException e = new NonFiniteLossException(epoch, b.index(), sum);
                                if (options.nonFinite() == FitOptions.NonFinite.FAIL) {
                                    throw e;
                                }
                                LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; continuing as asked");
                                warned = true;
                            }
                        }
                    }
                    progress.step();
                }
                Map<String, Double> logs = new LinkedHashMap<>();
                acc.report("", model.metrics(), data.size(), logs);
                if (validation != null) {
                    logs.putAll(Evaluator.evaluate(model, validation, Math.max(batchSize, 256), "val_"));
                }
                logs.put("lr", model.optimizer().learningRate());
                history.record(logs);
                model.position(epoch + 1, model.steps(), model.trainingClock().passes());
                progress.endEpoch(logs);
                boolean stop = false;
                for (Callback c : callbacks) {
                    c.onEpochEnd(epoch, logs);
                    stop |= c.stopTraining();
                }
                if (stop) {
                    break;
                }
            }
            history.traces(tracedStep == null ? 0 : tracedStep.traceCount());
        }
        callbacks.forEach(c -> c.onTrainEnd(history));
        return history;
    }

    /** The traced step, or null to train eagerly. */
    private TracedFunction tracedStep(Evaluator.Accumulators acc) {
        if (!options.traced()) {
            return null;
        }
        String why = model.whyNotTraceable();
        if (why != null) {
            LOG.log(System.Logger.Level.INFO, "fit: training eagerly: " + why);
            return null;
        }
        return Tracing.function("trainStep", in -> {
            step(in[0], in[1], acc);
            return null;
        });
    }

    /** One step whose loss and metrics are added to the running sums on the device. */
    private void step(Tensor x, Tensor y, Evaluator.Accumulators acc) {
        try (StepResult r = model.trainStep(x, y)) {
            acc.add(r);
        }
    }
}
