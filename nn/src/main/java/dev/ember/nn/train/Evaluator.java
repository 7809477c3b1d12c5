package dev.ember.nn.train;

import dev.ember.nn.data.Batch;
import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.DeviceLoader;
import dev.ember.nn.metrics.Metric;
import dev.ember.nn.model.Model;
import dev.ember.nn.model.StepResult;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Mean loss and metrics over a dataset in inference mode, accumulated on the device. */
public final class Evaluator {
    private Evaluator() {
    }

    /** Keys are {@code prefix + "loss"} and {@code prefix + metricName}. */
    public static Map<String, Double> evaluate(Model model, Dataset data, int batchSize, String prefix) {
        try (DeviceLoader loader = new DeviceLoader(data, model.backend(), model.dtype())) {
            loader.load(null);
            return evaluate(model, loader, batchSize, prefix);
        }
    }

    /**
     * The loss is the cost of the whole set: each batch's L2 term is the set's, {@code λ/(2N)
     * Σ||W||²} with {@code N} the set's size, so the batch size only splits the work and never changes
     * the figure (with the batch's own {@code m}, the term was counted once per batch).
     */
    static Map<String, Double> evaluate(Model model, DeviceLoader loader, int batchSize, String prefix) {
        List<Metric> metrics = model.metrics();
        int examples = loader.data().size();
        try (Accumulators acc = new Accumulators(model, metrics.size())) {
            Iterator<Batch> it = loader.batches(batchSize);
            while (it.hasNext()) {
                try (Batch b = it.next(); StepResult r = model.testStep(b.features(), b.labels(), examples)) {
                    acc.add(r);
                }
            }
            Map<String, Double> logs = new LinkedHashMap<>();
            acc.report(prefix, metrics, examples, logs);
            return logs;
        }
    }

    /** Device-side sums of the weighted loss and the metric totals. */
    static final class Accumulators implements AutoCloseable {
        private final DeviceSum loss;
        private final List<DeviceSum> metricSums = new ArrayList<>();

        Accumulators(Model model, int metrics) {
            this.loss = new DeviceSum(model.backend(), model.dtype());
            for (int i = 0; i < metrics; i++) {
                metricSums.add(new DeviceSum(model.backend(), model.dtype()));
            }
        }

        /** Adds a step's loss weighted by its batch size, and its metric totals. */
        void add(StepResult r) {
            try (var weighted = r.loss().mul(r.batchSize())) {
                loss.add(weighted);
            }
            for (int i = 0; i < metricSums.size(); i++) {
                metricSums.get(i).add(r.metricTotals().get(i));
            }
        }

        double lossSum() {
            return loss.read();
        }

        void report(String prefix, List<Metric> metrics, int examples, Map<String, Double> logs) {
            logs.put(prefix + "loss", loss.read() / examples);
            for (int i = 0; i < metrics.size(); i++) {
                logs.put(prefix + metrics.get(i).name(), metricSums.get(i).read() / examples);
            }
        }

        void reset() {
            loss.reset();
            metricSums.forEach(DeviceSum::reset);
        }

        @Override
        public void close() {
            loss.close();
            metricSums.forEach(DeviceSum::close);
        }
    }
}
