// ServePredictions.java
import dev.ember.nn.data.*;                   // Dataset, Generators
import dev.ember.nn.layers.*;                 // Dense, Activation
import dev.ember.nn.losses.Losses;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.optim.Adam;

void main() throws Exception {
    Dataset train = Generators.spirals(600, 3, 0.2, 1);
    try (var model = new Sequential(new Dense(2, 64), Activation.relu(), new Dense(3))) {
        model.seed(7);
        model.compile(new Adam(0.01), Losses.categoricalCrossEntropy());
        model.fit(train, 30, 50, null);               // train on one thread, then serve from many
        model.warmUp(1, 5_000);                        // trace the one-example pass, let the JIT compile it
        try (var requests = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                float[] point = {(float) Math.cos(i), (float) Math.sin(i)};
                answers.add(requests.submit(() -> model.predictClass(point)));   // thread-safe, allocation-free
            }
            float[] probabilities = new float[3];
            model.predictInto(new float[] {0.5f, -0.25f}, probabilities);          // into the caller's buffer
            IO.println("first class " + answers.getFirst().get() + ", p = " + Arrays.toString(probabilities));
        }
    }
}
