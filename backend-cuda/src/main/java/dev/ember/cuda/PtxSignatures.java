package dev.ember.cuda;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernels a PTX module defines and how many parameters each takes, read from its
 * {@code .entry} declarations. A launch passes its arguments as an untyped array, so a count that
 * disagrees with the kernel's would read garbage; the launcher checks every launch against this.
 */
final class PtxSignatures {
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+([A-Za-z_$][\\w$]*)\\s*\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile("\\.param\\s");

    private PtxSignatures() {
    }

    /** Kernel name to parameter count, in the module's order. */
    static Map<String, Integer> parse(String ptx) {
        Map<String, Integer> entries = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) {
            int params = 0;
            Matcher p = PARAM.matcher(m.group(2));
            while (p.find()) {
                params++;
            }
            entries.put(m.group(1), params);
        }
        return entries;
    }
}
