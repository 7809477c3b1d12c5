/**
 * Ember's neural-network library: it depends on {@code ember-core} only and runs on whichever
 * backend is selected.
 *
 * <ul>
 *   <li>{@link dev.ember.nn.autodiff}: {@code GradientTape}, {@code Variable}, and {@code Recorder} for custom ops.</li>
 *   <li>{@link dev.ember.nn.ops}: {@code F}, the differentiable operations that record onto the tape.</li>
 *   <li>{@link dev.ember.nn.layers}: {@code Dense}, {@code Activation}, {@code Dropout}, {@code BatchNorm}.</li>
 *   <li>{@link dev.ember.nn.model}: {@code Sequential} and the {@code Model} API (compile, fit, evaluate, predict).</li>
 *   <li>{@link dev.ember.nn.init}, {@link dev.ember.nn.losses}, {@link dev.ember.nn.metrics},
 *       {@link dev.ember.nn.optim}, {@link dev.ember.nn.schedule}: the parts a model is configured with.</li>
 *   <li>{@link dev.ember.nn.data}: {@code Dataset}, {@code Shuffler}, {@code DeviceLoader}.</li>
 *   <li>{@link dev.ember.nn.train}: the {@code fit} loop, {@code History}, callbacks, the gradient-norm monitor.</li>
 *   <li>{@link dev.ember.nn.check}: finite-difference gradient checking.</li>
 * </ul>
 *
 * <p>Training with the model API:
 * <pre>{@code
 * var model = new Sequential(
 *         new Dense(2, 10).kernelInitializer(Initializers.heNormal()), Activation.relu(),
 *         new Dense(5).kernelInitializer(Initializers.heNormal()), Activation.relu(),
 *         new Dense(1));                                  // logits
 * model.seed(3).regularization(new L2Regularization(0.7));
 * model.compile(new Adam(0.01), Losses.binaryCrossEntropy(), Metrics.binaryAccuracy());
 * History h = model.fit(train, FitOptions.defaults().epochs(300).batchSize(64).validation(dev));
 * Map<String, Double> test = model.evaluate(testSet, 256);
 * model.close();
 * }</pre>
 * The cross-entropy losses take logits and own the output activation: binary (categorical)
 * cross-entropy applies the sigmoid (softmax) itself in one stable fused form, so the model ends in a
 * plain {@code Dense}; {@code predict} and the metrics get the probabilities through
 * {@link dev.ember.nn.losses.Loss#predictions}, and {@code call} returns the logits.
 *
 * <p>Training with the tape:
 * <pre>{@code
 * try (var w = new Variable("w", Initializers.glorotNormal().create(backend, F32, Shape.of(784, 10), 784, 10, seed, 0));
 *      var b = new Variable("b", Tensor.zeros(backend, F32, 10));
 *      var opt = new Adam(1e-4)) {
 *     for (...) {
 *         try (var tape = new GradientTape()) {                       // trainable variables are watched
 *             Tensor loss = F.softmaxCrossEntropy(F.dense(x, w.value(), b.value()), y);
 *             List<Tensor> grads = tape.gradient(loss, List.of(w, b)); // the caller owns them
 *             opt.apply(List.of(w, b), grads);
 *             grads.forEach(Tensor::close);
 *         }                                                           // intermediates freed here
 *     }
 * }
 * }</pre>
 *
 * <p><b>Threads.</b> A trained model serves predictions from any number of threads at once
 * ({@code Model.predictInto}, allocation-free in steady state); training, tapes, optimisers,
 * metrics and callbacks are confined to one thread. Each public type states its contract; the
 * whole table is in {@code docs/ARCHITECTURE.md} ("Threads: what may be shared").
 */
package dev.ember.nn;
