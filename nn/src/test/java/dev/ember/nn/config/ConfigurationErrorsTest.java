package dev.ember.nn.config;

import dev.ember.nn.layers.BatchNorm;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.layers.Dropout;
import dev.ember.nn.losses.L2Regularization;
import dev.ember.nn.optim.Adam;
import dev.ember.nn.optim.AdamW;
import dev.ember.nn.optim.Momentum;
import dev.ember.nn.optim.RmsProp;
import dev.ember.nn.optim.Sgd;
import dev.ember.nn.schedule.InverseTimeDecay;
import dev.ember.nn.train.FitOptions;
import dev.ember.nn.train.GradientNormMonitor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad configuration fails at construction, before any work, naming the parameter and the value. */
class ConfigurationErrorsTest {

    @Test
    void learningRateMustBePositive() {
        assertThatThrownBy(() -> new Sgd(0)).hasMessageContaining("learningRate").hasMessageContaining("0.0");
        assertThatThrownBy(() -> new Adam(-1e-3)).hasMessageContaining("learningRate").hasMessageContaining("-0.001");
        assertThatThrownBy(() -> new Momentum(Double.NaN)).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new RmsProp(Double.POSITIVE_INFINITY)).hasMessageContaining("learningRate");
    }

    @Test
    void betasMustLieInZeroToOne() {
        assertThatThrownBy(() -> new Momentum(0.1, 1.0)).hasMessageContaining("beta").hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> new Momentum(0.1, -0.1)).hasMessageContaining("beta");
        assertThatThrownBy(() -> new Adam(0.1, 1.0, 0.999, 1e-8)).hasMessageContaining("beta1");
        assertThatThrownBy(() -> new Adam(0.1, 0.9, 1.5, 1e-8)).hasMessageContaining("beta2");
        assertThatThrownBy(() -> new RmsProp(0.1, 1, 1e-8)).hasMessageContaining("beta");
        assertThatThrownBy(() -> new Adam(0.1, 0.9, 0.999, 0)).hasMessageContaining("epsilon");
        assertThatThrownBy(() -> new AdamW(0.1, -1)).hasMessageContaining("weightDecay");
        assertThatThrownBy(() -> new BatchNorm(1.0, 1e-3)).hasMessageContaining("momentum");
    }

    @Test
    void keepProbabilityMustLieInZeroExclusiveToOne() {
        assertThatThrownBy(() -> new Dropout(0)).hasMessageContaining("keepProb").hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> new Dropout(1.2)).hasMessageContaining("keepProb").hasMessageContaining("1.2");
        new Dropout(1.0).close();
    }

    @Test
    void lambdaMustBeNonNegative() {
        assertThatThrownBy(() -> new L2Regularization(-0.1)).hasMessageContaining("lambda").hasMessageContaining("-0.1");
    }

    @Test
    void batchSizeAndEpochsMustBePositive() {
        assertThatThrownBy(() -> FitOptions.defaults().batchSize(0)).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> FitOptions.defaults().batchSize(-64)).hasMessageContaining("batchSize")
                .hasMessageContaining("-64");
        assertThatThrownBy(() -> FitOptions.defaults().epochs(0)).hasMessageContaining("epochs");
    }

    @Test
    void layerAndScheduleArguments() {
        assertThatThrownBy(() -> new Dense(0)).hasMessageContaining("units");
        assertThatThrownBy(() -> new InverseTimeDecay(1, 0)).hasMessageContaining("interval");
        assertThatThrownBy(() -> new InverseTimeDecay(-1)).hasMessageContaining("decayRate");
        assertThatThrownBy(() -> new GradientNormMonitor(0, 1e-7, 1e3)).hasMessageContaining("every");
    }
}
