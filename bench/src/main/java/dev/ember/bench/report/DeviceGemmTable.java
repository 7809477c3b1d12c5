package dev.ember.bench.report;

import java.util.Locale;

/** Formats a {@link DeviceGemmComparison.Report} as a readable table, headed by the device it ran on. */
public final class DeviceGemmTable {
    private DeviceGemmTable() {
    }

    public static String format(DeviceGemmComparison.Report report) {
        StringBuilder sb = new StringBuilder();
        sb.append("device: ").append(report.device()).append('\n');
        sb.append("host:   ").append(report.machine()).append('\n');
        String vendor = report.vendor() + " GFLOPS";
        sb.append(String.format(Locale.ROOT, "%-5s %-6s %-20s %13s %14s %7s%n", "prec", "op", "m x n x k",
                "ember GFLOPS", vendor, "ratio"));
        for (DeviceGemmComparison.Row r : report.rows()) {
            sb.append(String.format(Locale.ROOT, "%-5s %-6s %-20s %13.0f %14.0f %7.2f%n", r.precision().label(),
                    r.precision().op(), r.shape(), r.gflops(), r.vendorGflops(), r.ratio()));
        }
        sb.append(String.format(Locale.ROOT, "ratio = ember / %s on the same %s backend and device; medians of %d"
                        + " interleaved round(s) of queued calls between two synchronize()%n", report.vendor(),
                report.backend(), report.rounds()));
        return sb.toString();
    }
}
