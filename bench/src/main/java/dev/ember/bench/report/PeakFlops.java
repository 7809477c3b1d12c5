package dev.ember.bench.report;

import jdk.incubator.vector.FloatVector;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * Theoretical FP32 peak: cores x 2 FMA pipes x F32 lanes x 2 flops x clock. The clock is the
 * caller's (measured sustained clock, e.g. 3.2 GHz here) or else the highest frequency the kernel
 * reports; two FMA pipes is true of every AVX2 core from Haswell and Zen on.
 */
public final class PeakFlops {
    private PeakFlops() {
    }

    public static double gflopsPerCore(double clockGhz) {
        return 2 * FloatVector.SPECIES_PREFERRED.length() * 2 * clockGhz;
    }

    /** The clock to assume: the override if given, else cpufreq's maximum, else /proc/cpuinfo, else 3.0 GHz. */
    public static double clockGhz(OptionalDouble override) {
        if (override.isPresent()) {
            return override.getAsDouble();
        }
        try {
            Path max = Path.of("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq");
            if (Files.isReadable(max)) {
                return Long.parseLong(Files.readString(max).trim()) / 1e6;
            }
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("cpu MHz")) {
                    return Double.parseDouble(line.substring(line.indexOf(':') + 1).trim()) / 1e3;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // fall through to the conservative default
        }
        return 3.0;
    }
}
