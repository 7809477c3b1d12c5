package dev.ember.nn.optim;

import dev.ember.core.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Gradient clipping, entirely on the device (no read-back): by global norm
 * ({@code g *= min(1, c / ||all g||₂)}) or element-wise by value ({@code g = clamp(g, -c, c)}).
 */
public abstract sealed class GradientClipping permits GradientClipping.ByGlobalNorm, GradientClipping.ByValue {
    /** Returns new clipped gradients (null stays null); the inputs are left untouched. */
    public abstract List<Tensor> clip(List<Tensor> gradients);

    /** {@code global_norm} or {@code value}. */
    public abstract String kind();

    /** The norm or value it clips to. */
    public abstract double limit();

    public static GradientClipping byGlobalNorm(double maxNorm) {
        return new ByGlobalNorm(maxNorm);
    }

    public static GradientClipping byValue(double limit) {
        return new ByValue(limit);
    }

    static final class ByGlobalNorm extends GradientClipping {
        private final double maxNorm;

        ByGlobalNorm(double maxNorm) {
            this.maxNorm = Check.positive("clipByGlobalNorm", "maxNorm", maxNorm);
        }

        @Override
        public String kind() {
            return "global_norm";
        }

        @Override
        public double limit() {
            return maxNorm;
        }

        @Override
        public List<Tensor> clip(List<Tensor> gradients) {
            List<Tensor> present = gradients.stream().filter(Objects::nonNull).toList();
            List<Tensor> out = new ArrayList<>(gradients.size());
            if (present.isEmpty()) {
                gradients.forEach(g -> out.add(null));
                return out;
            }
            // scale = c / max(norm, c) = min(1, c / norm)
            // the norm is scaled before squaring (Tensor.norm): gradients of 1e20 would overflow F32 squares
            try (Tensor norm = Tensor.norm(present); Tensor floor = norm.clampMin(maxNorm);
                 Tensor inv = floor.reciprocal(); Tensor scale = inv.mul(maxNorm)) {
                for (Tensor g : gradients) {
                    out.add(g == null ? null : g.mul(scale));
                }
            }
            return out;
        }
    }

    static final class ByValue extends GradientClipping {
        private final double limit;

        ByValue(double limit) {
            this.limit = Check.positive("clipByValue", "limit", limit);
        }

        @Override
        public String kind() {
            return "value";
        }

        @Override
        public double limit() {
            return limit;
        }

        @Override
        public List<Tensor> clip(List<Tensor> gradients) {
            List<Tensor> out = new ArrayList<>(gradients.size());
            for (Tensor g : gradients) {
                if (g == null) {
                    out.add(null);
                } else {
                    try (Tensor hi = g.clampMax(limit)) {
                        out.add(hi.clampMin(-limit));
                    }
                }
            }
            return out;
        }
    }
}
