package dev.ember.core.spi;

/**
 * Distributions of {@link Backend#random}. With {@code u} the element's uniform number and
 * {@code z} its standard normal as defined by {@link Philox}, parameters {@code a} and {@code b} give:
 * <ul>
 *   <li>UNIFORM: {@code a + (b - a) * u}, in (a, b);</li>
 *   <li>NORMAL: {@code a + b * z} (mean a, standard deviation b);</li>
 *   <li>BERNOULLI: {@code u < a ? b : 0} (keep-probability a; b = 1 / a gives an inverted-dropout mask).</li>
 * </ul>
 */
public enum Distribution {
    UNIFORM, NORMAL, BERNOULLI
}
