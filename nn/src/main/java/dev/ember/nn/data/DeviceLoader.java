package dev.ember.nn.data;

import dev.ember.core.DType;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Keeps a dataset on the device for training. Each epoch the (shuffled) examples are gathered on the
 * host into one staging array and written to the device with a single copy into buffers reused
 * across epochs; mini-batches are then views (row slices) of that copy, so no example is copied twice.
 * Without shuffling the data is written once, for the whole fit.
 */
public final class DeviceLoader implements AutoCloseable {
    private final Dataset data;
    private final Backend backend;
    private final DType dtype;
    private final Tensor features;
    private final Tensor labels;
    private boolean loadedInOrder;

    public DeviceLoader(Dataset data, Backend backend, DType dtype) {
        this.data = data;
        this.backend = backend;
        this.dtype = dtype;
        this.features = Tensor.zeros(backend, dtype, withBatch(data.size(), data.featureShape()));
        this.labels = Tensor.zeros(backend, dtype, withBatch(data.size(), data.labelShape()));
    }

    static Shape withBatch(int n, Shape perExample) {
        int[] d = perExample.dims();
        int[] out = new int[d.length + 1];
        out[0] = n;
        System.arraycopy(d, 0, out, 1, d.length);
        return Shape.of(out);
    }

    /** Loads the examples in {@code permutation} order (null: original order, written only once). */
    public void load(int[] permutation) {
        if (permutation == null) {
            if (!loadedInOrder) {
                write(features, data.store(), data.featureShape().size(), null);
                write(labels, new Features.Doubles(data.labels()), data.labelShape().size(), null);
                loadedInOrder = true;
            }
            return;
        }
        if (permutation.length != data.size()) {
            throw new IllegalArgumentException("loader: permutation of " + permutation.length + " for "
                    + data.size() + " examples");
        }
        write(features, data.store(), data.featureShape().size(), permutation);
        write(labels, new Features.Doubles(data.labels()), data.labelShape().size(), permutation);
        loadedInOrder = false;
    }

    /** Gathers the examples in {@code order} (null: as stored) into one array of the dtype and copies it. */
    private void write(Tensor target, Features values, int per, int[] order) {
        int n = data.size();
        if (dtype == DType.F64) {
            if (order == null && values instanceof Features.Doubles d) {
                target.copyFrom(d.values());
                return;
            }
            double[] staged = new double[values.length()];
            for (int i = 0; i < n; i++) {
                values.copy((order == null ? i : order[i]) * per, staged, i * per, per);
            }
            target.copyFrom(staged);
        } else {
            if (order == null && values instanceof Features.Floats f) {
                target.copyFrom(f.values());
                return;
            }
            float[] staged = new float[values.length()];
            for (int i = 0; i < n; i++) {
                values.copy((order == null ? i : order[i]) * per, staged, i * per, per);
            }
            target.copyFrom(staged);
        }
    }

    /** The whole loaded dataset (views; close them). */
    public Batch all() {
        return new Batch(0, features.slice(0, data.size()), labels.slice(0, data.size()));
    }

    /** Mini-batches of the loaded order; the last one holds the remainder. */
    public Iterator<Batch> batches(int batchSize) {
        Dataset.checkBatchSize(batchSize);
        int n = data.size();
        return new Iterator<>() {
            private int start;
            private int index;

            @Override
            public boolean hasNext() {
                return start < n;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int end = Math.min(n, start + batchSize);
                Batch b = new Batch(index++, features.slice(start, end), labels.slice(start, end));
                start = end;
                return b;
            }
        };
    }

    public Dataset data() {
        return data;
    }

    @Override
    public void close() {
        features.close();
        labels.close();
    }
}
