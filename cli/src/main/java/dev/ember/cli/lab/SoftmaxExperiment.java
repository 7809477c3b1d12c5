package dev.ember.cli.lab;

import dev.ember.core.Scope;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.GradientTape;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.data.Batch;
import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.DeviceLoader;
import dev.ember.nn.data.Shuffler;
import dev.ember.nn.data.Split;
import dev.ember.nn.init.Initializers;
import dev.ember.nn.ops.F;
import dev.ember.nn.optim.Adam;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Softmax regression's big sibling, written with the explicit tape API (not {@code fit}) as the
 * hands-on example of variables, the tape and a training loop: Fashion-MNIST, 784→25→12→10 (ReLU,
 * ReLU, softmax), Glorot-normal weights, Adam at 1e-4, batches of 32, 10 epochs; train and test
 * accuracy after every epoch.
 */
final class SoftmaxExperiment implements Experiment {
    static final int EPOCHS = 10;
    static final int BATCH = 32;

    @Override
    public String name() {
        return "softmax";
    }

    @Override
    public String description() {
        return "softmax: Fashion-MNIST 784-25-12-10 with the tape API, Adam 1e-4, batches of 32, 10 epochs";
    }

    /** The fraction of the training set a run at {@code scale} trains on. */
    private static double kept(double scale) {
        return scale < 1 ? Math.max(scale, 0.02) : 1;
    }

    /** Enough examples that the kept part holds each of the 10 classes. */
    @Override
    public LabData.FashionNeeds fashionNeeds(double scale) {
        int needed = 10 * (int) Math.ceil(1 / kept(scale));
        return new LabData.FashionNeeds(needed, String.format(java.util.Locale.ROOT,
                "a stratified %.3g of them trains, and holds each of the 10 classes", kept(scale)), true);
    }

    @Override
    public ExperimentResult run(LabContext ctx) {
        long start = System.nanoTime();
        Dataset train = LabData.fashionTraining(ctx, this);
        Dataset test = LabData.fashion(ctx.dataDir(), false);
        if (ctx.scale() < 1) {
            // shortened runs also train on a (stratified) part of the training set
            double keep = kept(ctx.scale());
            train = Split.of(train, keep, 0, 1 - keep).seed(ctx.seed()).stratified(true).apply().train();
        }
        int epochs = ctx.scaled(EPOCHS);
        int[] dims = {784, 25, 12, 10};
        var b = ctx.backend();
        List<Variable> vars = new ArrayList<>();
        List<double[]> costs = new ArrayList<>();
        List<Map<String, Object>> perEpoch = new ArrayList<>();
        double trainAcc = Double.NaN;
        double testAcc = Double.NaN;
        Shuffler order = Shuffler.seeded(ctx.seed());
        try (Adam opt = new Adam(1e-4);
             DeviceLoader loader = new DeviceLoader(train, b, ctx.dtype());
             DeviceLoader testLoader = new DeviceLoader(test, b, ctx.dtype())) {
            for (int l = 1; l < dims.length; l++) {
                vars.add(new Variable("W" + l, Initializers.glorotNormal().create(b, ctx.dtype(),
                        Shape.of(dims[l - 1], dims[l]), dims[l - 1], dims[l], ctx.seed(), l)));
                vars.add(new Variable("b" + l, Tensor.zeros(b, ctx.dtype(), dims[l])));
            }
            testLoader.load(null);
            for (int epoch = 0; epoch < epochs; epoch++) {
                loader.load(order.permutation(train.size(), epoch));
                double lossSum = 0;
                int steps = 0;
                int sampled = 0;
                Iterator<Batch> it = loader.batches(BATCH);
                while (it.hasNext()) {
                    try (Batch batch = it.next(); GradientTape tape = new GradientTape()) {   // trainable variables are watched
                        Tensor loss = F.softmaxCrossEntropy(logits(batch.features(), vars), batch.labels());
                        List<Tensor> grads = tape.gradient(loss, vars);
                        opt.apply(vars, grads);
                        grads.forEach(Tensor::close);
                        if (steps % 50 == 0) {
                            lossSum += loss.item();
                            sampled++;
                        }
                        steps++;
                    }
                }
                trainAcc = accuracy(loader, train, vars);
                testAcc = accuracy(testLoader, test, vars);
                double meanLoss = lossSum / sampled;
                costs.add(new double[] {epoch, meanLoss});
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", epoch + 1);
                row.put("loss", meanLoss);
                row.put("train_accuracy", trainAcc);
                row.put("test_accuracy", testAcc);
                perEpoch.add(row);
                ctx.progress().accept(String.format(java.util.Locale.ROOT,
                        "  softmax: epoch %d/%d, loss %.4f, train accuracy %.4f, test accuracy %.4f", epoch + 1, epochs,
                        meanLoss, trainAcc, testAcc));
            }
            save(ctx, vars);
        } finally {
            vars.forEach(Variable::close);
        }
        Map<String, Object> extra = Map.of("epochs", perEpoch, "train_examples", train.size());
        VariantResult v = new VariantResult("mlp-784-25-12-10", trainAcc, null, testAcc,
                costs.get(costs.size() - 1)[1], costs, (System.nanoTime() - start) / 1e9, extra);
        Plots plots = new Plots(ctx.out());
        plots.costs("softmax-costs", "softmax: training loss per epoch (Fashion-MNIST)", "epoch", List.of(v), false);
        return LabCommand.result(name(), ctx, start, List.of(v), plots,
                List.of("costs: the mean loss of every 50th step of the epoch (reading every step's loss back would"
                        + " cost a device round trip per step)"));
    }

    /**
     * {@code --save}: the tape-trained variables as the {@link Sequential} that computes the same
     * function (Dense + ReLU, Dense + ReLU, Dense), so the checkpoint loads with {@code Model.load}.
     */
    private static void save(LabContext ctx, List<Variable> vars) {
        if (ctx.save() == null) {
            return;
        }
        try (Sequential model = new Sequential(new Dense(784, 25).activation(Activation.relu()),
                new Dense(12).activation(Activation.relu()), new Dense(10))) {
            model.backend(ctx.backend()).dtype(ctx.dtype()).seed(ctx.seed());
            model.build(Shape.of(784));
            List<Variable> layers = model.trainableVariables();   // kernel, bias per Dense, in order, like vars
            for (int i = 0; i < vars.size(); i++) {
                layers.get(i).assign(vars.get(i).value());
            }
            ctx.saveVariant(model, "softmax", "mlp-784-25-12-10");
        }
    }

    private static Tensor logits(Tensor x, List<Variable> v) {
        Tensor h1 = F.relu(F.dense(x, v.get(0).value(), v.get(1).value()));
        Tensor h2 = F.relu(F.dense(h1, v.get(2).value(), v.get(3).value()));
        return F.dense(h2, v.get(4).value(), v.get(5).value());
    }

    private static double accuracy(DeviceLoader loader, Dataset data, List<Variable> vars) {
        int[] classes = Split.classesOf(data);
        loader.load(null);
        int correct = 0;
        int offset = 0;
        Iterator<Batch> it = loader.batches(2000);
        while (it.hasNext()) {
            try (Batch batch = it.next(); Scope _ = Scope.open()) {
                double[] pred = logits(batch.features(), vars).argmax(1).toDoubleArray();
                for (int i = 0; i < pred.length; i++) {
                    if ((int) pred[i] == classes[offset + i]) {
                        correct++;
                    }
                }
                offset += pred.length;
            }
        }
        return correct / (double) data.size();
    }
}
