package dev.ember.cli;

import dev.ember.cli.InfoReport.BackendInfo;
import dev.ember.core.Backends;
import dev.ember.core.spi.MemoryStats;
import picocli.CommandLine.Help.Ansi;

import java.io.PrintWriter;
import java.util.Locale;

/** Renders an {@link InfoReport} for a person (on standard error). */
final class TextReport {
    private TextReport() {
    }

    static void print(InfoReport r, PrintWriter w, Ansi ansi) {
        w.println("Ember " + r.ember());
        w.printf(Locale.ROOT, "  %-10s %s (%s), %s%n", "Java", r.java().version(), r.java().vendor(), r.java().vm());
        InfoReport.VectorInfo v = r.vector();
        w.printf(Locale.ROOT, "  %-10s %s%n", "Vector API", v.available()
                ? String.format(Locale.ROOT, "F32: %d bits, %d lanes; F64: %d bits, %d lanes",
                v.f32().bits(), v.f32().lanes(), v.f64().bits(), v.f64().lanes())
                : "unavailable: " + v.reason());
        w.printf(Locale.ROOT, "  %-10s %d%n", "Processors", r.processors());
        w.println();
        w.println("Backends (highest priority first):");
        if (r.backends().isEmpty()) {
            w.println("  none found: is a backend module such as ember-backend-cpu on the class path?");
        }
        for (BackendInfo b : r.backends()) {
            String state = switch (b.state()) {
                case "available" -> ansi.string("@|green available    |@ ") + b.device();
                case "misconfigured" -> ansi.string("@|bold,red misconfigured|@ ") + b.reason();
                default -> ansi.string("@|yellow unavailable  |@ ") + b.reason();
            };
            w.printf(Locale.ROOT, "  %-8s priority %3d  %s%n", b.name(), b.priority(), state);
            if (!b.options().isEmpty()) {
                w.printf(Locale.ROOT, "  %-8s options: %s (-Dember.%s.OPTION=VALUE)%n", "", String.join(", ", b.options()),
                        b.name());
            }
            if (b.memory() != null) {
                w.printf(Locale.ROOT, "  %-8s memory: %s%n", "", memory(b.memory()));
            }
        }
        w.println();
        w.printf(Locale.ROOT, "  %-10s %s%n", "auto picks", r.selected() == null ? "nothing: no backend is available, or one is misconfigured"
                : r.selected());
        String source = System.getProperty(Backends.PROPERTY) != null && !System.getProperty(Backends.PROPERTY).isBlank()
                ? "-D" + Backends.PROPERTY
                : System.getenv(Backends.ENVIRONMENT) != null && !System.getenv(Backends.ENVIRONMENT).isBlank()
                ? Backends.ENVIRONMENT : "default";
        w.printf(Locale.ROOT, "  %-10s %s (%s)%n", "requested", r.requested(), source);
        if (r.error() != null) {
            w.println();
            w.println(ansi.string("@|bold,red error:|@ ") + r.error());
        }
        if (r.checks() != null) {
            w.println();
            w.println("Checks against a float64 reference:");
            for (CheckResult c : r.checks()) {
                String verdict = c.pass() ? ansi.string("@|green PASS|@") : ansi.string("@|bold,red FAIL|@");
                String err = c.maxRelError() == null ? "" : String.format(Locale.ROOT, "max rel err %.2e (tol %.0e)",
                        c.maxRelError(), c.tolerance());
                String time = c.millis() == null ? "" : String.format(Locale.ROOT, "%9.3f ms", c.millis());
                w.println(String.format(Locale.ROOT, "  %s  %-6s %-3s %-9s %-28s %-34s %s", verdict, c.backend(),
                        c.dtype(), c.check(), c.shape(), err, time).stripTrailing());
                if (c.message() != null) {
                    w.printf(Locale.ROOT, "        %s%n", c.message());
                }
            }
            long failed = r.checks().stream().filter(c -> !c.pass()).count();
            w.println();
            w.println(failed == 0
                    ? ansi.string("@|green All " + r.checks().size() + " checks passed.|@")
                    : ansi.string("@|bold,red " + failed + " of " + r.checks().size() + " checks failed.|@"));
        }
        w.flush();
    }

    private static String memory(MemoryStats m) {
        return String.format(Locale.ROOT, "%d live buffers (%d bytes), %d allocated in all, %d reclaimed by the "
                        + "cleaner, %d bytes in, %d bytes out",
                m.liveBuffers(), m.liveBytes(), m.totalAllocations(), m.reclaimedByCleaner(),
                m.hostToDeviceBytes(), m.deviceToHostBytes());
    }
}
