package dev.ember.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The machine a report was measured on, in one line: the CPU's model name, its logical processors and the OS. */
public final class Machine {
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private Machine() {
    }

    /** For example {@code AMD EPYC, 2 logical processors, Linux amd64}; the model is {@code unknown CPU} off Linux. */
    public static String describe() {
        List<String> lines;
        try {
            lines = Files.readAllLines(CPUINFO);
        } catch (IOException | SecurityException e) {
            lines = List.of();
        }
        return cpuModel(lines).orElse("unknown CPU") + ", " + Runtime.getRuntime().availableProcessors()
                + " logical processors, " + System.getProperty("os.name") + " " + System.getProperty("os.arch");
    }

    /**
     * The first {@code model name} (x86) or, failing that, {@code Model} / {@code Hardware} (ARM) of
     * a {@code /proc/cpuinfo} listing.
     */
    static Optional<String> cpuModel(List<String> cpuinfo) {
        for (String key : List.of("model name", "Model", "Hardware")) {
            for (String line : cpuinfo) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    String value = line.substring(colon + 1).trim();
                    if (!value.isEmpty()) {
                        return Optional.of(value);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
