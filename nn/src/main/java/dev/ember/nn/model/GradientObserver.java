package dev.ember.nn.model;

import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.Variable;

import java.util.List;

/** Sees every training step's gradients before the optimiser applies them (e.g. a gradient-norm monitor). */
@FunctionalInterface
public interface GradientObserver {
    void observe(long step, List<Variable> variables, List<Tensor> gradients);
}
