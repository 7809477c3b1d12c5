// TracedStep.java
import dev.ember.core.*;                      // Tracing, TracedFunction, Tensor, Backends
import dev.ember.nn.autodiff.*;               // GradientTape, Variable
import dev.ember.nn.data.*;                   // Dataset, DeviceLoader, Batch
import dev.ember.nn.ops.F;
import dev.ember.nn.optim.Adam;

void main() {
    double[][] xs = new double[256][];
    double[] ys = new double[256];
    for (int i = 0; i < xs.length; i++) {     // y = 3x - 1
        xs[i] = new double[] {i / 256.0};
        ys[i] = 3 * xs[i][0] - 1;
    }
    var backend = Backends.get();
    try (Variable w = Variable.of("w", backend, DType.F32, new double[] {0}, 1, 1);
         Variable b = Variable.of("b", backend, DType.F32, new double[] {0}, 1);
         Adam optimizer = new Adam(0.05);
         DeviceLoader batches = new DeviceLoader(Dataset.of(xs, ys), backend, DType.F32);
         TracedFunction step = Tracing.function("step", in -> {
             try (GradientTape tape = new GradientTape()) {
                 Tensor loss = F.mean(F.square(F.sub(F.dense(in[0], w.value(), b.value()), in[1])));
                 List<Tensor> grads = tape.gradient(loss, List.of(w, b));
                 optimizer.apply(List.of(w, b), grads);  // its rate and step count are live: read at every replay
                 grads.forEach(Tensor::close);
                 return new Tensor[] {tape.keep(loss)};
             }
         })) {
        batches.load(null);                   // in order; a permutation shuffles
        double last = Double.NaN;
        for (int epoch = 0; epoch < 200; epoch++) {
            for (Iterator<Batch> it = batches.batches(64); it.hasNext(); ) {
                try (Batch batch = it.next(); Tensor loss = step.call(batch.features(), batch.labels())[0]) {
                    last = loss.item();       // traced once, then replayed
                }
            }
        }
        IO.println("loss " + last + ", w " + w.toDoubleArray()[0] + ", b " + b.toDoubleArray()[0]
                + ", traces " + step.traceCount());   // 1 per input signature (backend, dtype, shape)
    }
}
