package dev.ember.cpu;

/** The CPU backend's thread count: {@code -Dember.cpu.threads}, default the available processors. */
public final class CpuThreads {
    public static final String PROPERTY = "ember.cpu.threads";

    private CpuThreads() {
    }

    /** Parses the configured thread count, failing with the property's name on a bad value. */
    public static int configured() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("-D" + PROPERTY + " must be a positive integer, got '" + value + "'");
    }
}
