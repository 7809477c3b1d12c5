/**
 * Ember's neural-network library on the {@code dev.ember.core} tensor API; it runs on whichever backend
 * is selected and imports none.
 */
module dev.ember.nn {
    requires transitive dev.ember.core;
    // Optional: fit's console bar; without it (or JLine) fit prints a line per epoch (ProgressReporter).
    requires static me.tongfei.progressbar;

    exports dev.ember.nn.autodiff;
    exports dev.ember.nn.check;
    exports dev.ember.nn.data;
    exports dev.ember.nn.diagnosis;
    exports dev.ember.nn.init;
    exports dev.ember.nn.layers;
    exports dev.ember.nn.losses;
    exports dev.ember.nn.metrics;
    exports dev.ember.nn.model;
    exports dev.ember.nn.ops;
    exports dev.ember.nn.optim;
    exports dev.ember.nn.random;
    exports dev.ember.nn.schedule;
    exports dev.ember.nn.train;
}
