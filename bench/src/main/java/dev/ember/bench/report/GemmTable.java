package dev.ember.bench.report;

/** Formats a {@link GemmComparison.Report} as a readable table. */
public final class GemmTable {
    private GemmTable() {
    }

    public static String format(GemmComparison.Report report) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-6s %-7s %-20s %7s %10s %10s %7s %7s%n", "op", "backend", "m x n x k", "threads",
                "GFLOPS", "numpy", "ratio", "%peak"));
        for (GemmResult r : report.results()) {
            String shape = r.m() + "x" + r.n() + "x" + r.k()
                    + (r.transA() || r.transB() ? ":" + (r.transA() ? "T" : "N") + (r.transB() ? "T" : "N") : "");
            sb.append(String.format("%-6s %-7s %-20s %7d %10.1f %10s %7s %6.0f%%%n", r.op(), r.backend(), shape,
                    r.threads(), r.gflops(), Double.isNaN(r.baselineGflops()) ? "-" : String.format("%.1f", r.baselineGflops()),
                    Double.isNaN(r.ratio()) ? "-" : String.format("%.2f", r.ratio()), 100 * r.fractionOfPeak()));
        }
        sb.append(String.format("%%peak: of the FP32 peak measured at that thread count (F64: half of it); "
                + "all cores: %.0f GFLOPS%nbaselines:%n", report.peakGflops()));
        report.baselines().forEach(b -> sb.append("  ").append(b.description()).append('\n'));
        return sb.toString();
    }
}
