package dev.ember.cuda;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel entry points of a PTX module, as nvcc writes them: {@code .visible .entry NAME(}, one
 * {@code .param .TYPE NAME_param_I} line per parameter, {@code )}, then directives such as
 * {@code .maxntid 256, 1, 1} before the body's {@code {}. A launch passes its arguments as an untyped
 * array, so a count that disagrees with the kernel's would read garbage: the launcher checks every
 * launch against these, and the tests compare them with what the host launches.
 */
final class PtxEntries {
    /**
     * One kernel.
     *
     * @param name the kernel's (extern "C") name
     * @param paramTypes each parameter's PTX type ({@code u32}, {@code f32}, {@code u64}...), in order
     * @param maxThreads the product of its {@code .maxntid} (from {@code __launch_bounds__}), 0 without one
     */
    record Entry(String name, List<String> paramTypes, int maxThreads) {
    }

    private static final Pattern ENTRY = Pattern.compile("^\\.visible \\.entry (\\w+)\\((\\))?$");
    private static final Pattern PARAM = Pattern.compile("^\\.param (?:\\.align \\d+ )?\\.(\\w+) \\w+(?:\\[\\d+])?,?$");
    private static final Pattern MAXNTID = Pattern.compile("^\\.maxntid (\\d+), (\\d+), (\\d+)$");

    private PtxEntries() {
    }

    /** The entries of a module as {@link KernelImages#ptx} returns it (NUL-terminated bytes). */
    static Map<String, Entry> of(byte[] ptx) {
        int length = ptx.length > 0 && ptx[ptx.length - 1] == 0 ? ptx.length - 1 : ptx.length;
        return parse(new String(ptx, 0, length, StandardCharsets.UTF_8));
    }

    /** The entries of PTX text, by name, in the order they appear. */
    static Map<String, Entry> parse(String ptx) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        String[] lines = ptx.split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher entry = ENTRY.matcher(lines[i].strip());
            if (!entry.matches()) {
                continue;
            }
            String name = entry.group(1);
            List<String> params = new ArrayList<>();
            if (entry.group(2) == null) {
                for (i++; i < lines.length && !lines[i].strip().equals(")"); i++) {
                    Matcher param = PARAM.matcher(lines[i].strip());
                    if (!param.matches()) {
                        throw new IllegalArgumentException("ptx: entry " + name + ": unexpected parameter line '"
                                + lines[i].strip() + "'");
                    }
                    params.add(param.group(1));
                }
                if (i == lines.length) {
                    throw new IllegalArgumentException("ptx: entry " + name + ": parameter list never closes");
                }
            }
            int maxThreads = 0;
            for (i++; i < lines.length && !lines[i].strip().startsWith("{"); i++) {
                Matcher m = MAXNTID.matcher(lines[i].strip());
                if (m.matches()) {
                    maxThreads = Integer.parseInt(m.group(1)) * Integer.parseInt(m.group(2)) * Integer.parseInt(m.group(3));
                }
            }
            if (entries.put(name, new Entry(name, List.copyOf(params), maxThreads)) != null) {
                throw new IllegalArgumentException("ptx: entry " + name + " appears twice");
            }
        }
        return entries;
    }
}
