import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The CPU backend's source preprocessor, after the JDK's Spp (X-Vector.java.template): every
 * {@code X-Name.java.template} under TEMPLATES becomes {@code FloatName.java} (F32) and
 * {@code DoubleName.java} (F64) in the same package folder under OUT. Run by Maven in
 * generate-sources as {@code java Spp.java TEMPLATES OUT} (source-file mode, JDK only).
 *
 * <ul>
 * <li>{@code $type$} float|double, {@code $Type$} Float|Double, {@code $x$} f|d (as in {@code Args.f}),
 *     {@code $dtype$} F32|F64, {@code $species$} F|D and {@code $lanes$} FL|DL (the {@code Simd} fields),
 *     {@code $bits$} int|long and {@code $Bits$} Int|Long (the same-width integer, for bit manipulation).
 * <li>Lines {@code #if[F32]}, {@code #else[F32]}, {@code #end[F32]} (or F64) keep or drop the lines
 *     between them; they nest, and text after the bracket is a note to the reader.
 * <li>Inline {@code {#if[F32]?then}} or {@code {#if[F32]?then:else}} for a difference inside a line.
 * </ul>
 * An unknown key, a stray or unclosed block, or a leftover {@code $word$} fails the build with its
 * file and line. Files are rewritten only when their text changes; generated files no template
 * produces any more are deleted.
 */
public final class Spp {
    private static final List<Map<String, String>> TYPES = List.of(
            Map.of("key", "F32", "type", "float", "Type", "Float", "x", "f", "dtype", "F32", "species", "F",
                    "lanes", "FL", "bits", "int", "Bits", "Int"),
            Map.of("key", "F64", "type", "double", "Type", "Double", "x", "d", "dtype", "F64", "species", "D",
                    "lanes", "DL", "bits", "long", "Bits", "Long"));
    private static final Set<String> KEYS = Set.of("F32", "F64");
    private static final Pattern DIRECTIVE = Pattern.compile("\\s*#(if|else|end)\\[(\\w+)\\].*");
    private static final Pattern INLINE = Pattern.compile("\\{#if\\[(\\w+)\\]\\?([^:}]*)(?::([^}]*))?\\}");
    private static final Pattern VARIABLE = Pattern.compile("\\$(\\w+)\\$");
    private static final String SUFFIX = ".java.template";

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: java Spp.java TEMPLATES OUT");
        }
        Path templates = Path.of(args[0]), out = Path.of(args[1]);
        Set<Path> written = new HashSet<>();
        try (Stream<Path> files = Files.walk(templates)) {
            for (Path template : files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).toList()) {
                String name = template.getFileName().toString();
                if (!name.startsWith("X-")) {
                    throw new IllegalArgumentException(template + ": a template's name starts with X-");
                }
                String base = name.substring(2, name.length() - SUFFIX.length());
                List<String> lines = Files.readAllLines(template);
                for (Map<String, String> type : TYPES) {
                    Path target = out.resolve(templates.relativize(template)).resolveSibling(type.get("Type") + base + ".java");
                    String header = "// GENERATED from " + templates.relativize(template) + " for " + type.get("key")
                            + " by backend-cpu/src/build/Spp.java: edit the template, not this file.\n";
                    String code = expand(template, lines, type);
                    if (type.get("key").equals("F64")) {
                        code = quietIdentityCasts(code);
                    }
                    write(target, header + code);
                    written.add(target.toAbsolutePath().normalize());
                }
            }
        }
        if (Files.isDirectory(out)) {
            try (Stream<Path> files = Files.walk(out)) {
                for (Path stale : files.filter(p -> p.toString().endsWith(".java")
                        && !written.contains(p.toAbsolutePath().normalize())).toList()) {
                    Files.delete(stale);
                }
            }
        }
    }

    /** The template's lines for one type: blocks kept or dropped, then inline conditions and variables. */
    static String expand(Path file, List<String> lines, Map<String, String> type) {
        StringBuilder text = new StringBuilder();
        Deque<String> open = new ArrayDeque<>();       // keys of the open blocks, innermost first
        Deque<Boolean> keep = new ArrayDeque<>();      // whether each open block's current branch is kept
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n), where = file + ":" + (n + 1);
            Matcher d = DIRECTIVE.matcher(line);
            if (d.matches()) {
                String key = known(d.group(2), where);
                boolean taken = key.equals(type.get("key"));
                switch (d.group(1)) {
                    case "if" -> {
                        open.push(key);
                        keep.push(taken);
                    }
                    case "else" -> {
                        close(open, key, where, "#else");
                        keep.push(!keep.pop());
                    }
                    default -> {
                        close(open, key, where, "#end");
                        open.pop();
                        keep.pop();
                    }
                }
                continue;
            }
            if (line.trim().startsWith("#")) {
                throw new IllegalArgumentException(where + ": not a directive: " + line.trim());
            }
            if (keep.contains(false)) {
                continue;
            }
            Matcher m = INLINE.matcher(line);
            StringBuilder inlined = new StringBuilder();
            while (m.find()) {
                boolean taken = known(m.group(1), where).equals(type.get("key"));
                String chosen = taken ? m.group(2) : m.group(3) == null ? "" : m.group(3);
                m.appendReplacement(inlined, Matcher.quoteReplacement(chosen));
            }
            m.appendTail(inlined);
            Matcher v = VARIABLE.matcher(inlined);
            StringBuilder substituted = new StringBuilder();
            while (v.find()) {
                String value = type.get(v.group(1));
                if (value == null || v.group(1).equals("key")) {
                    throw new IllegalArgumentException(where + ": unknown variable $" + v.group(1) + "$");
                }
                v.appendReplacement(substituted, Matcher.quoteReplacement(value));
            }
            v.appendTail(substituted);
            text.append(substituted).append('\n');
        }
        if (!open.isEmpty()) {
            throw new IllegalArgumentException(file + ": #if[" + open.peek() + "] is never closed with #end");
        }
        return text.toString();
    }

    private static String known(String key, String where) {
        if (!KEYS.contains(key)) {
            throw new IllegalArgumentException(where + ": unknown key " + key + ", expected one of " + KEYS);
        }
        return key;
    }

    private static void close(Deque<String> open, String key, String where, String directive) {
        if (!key.equals(open.peek())) {
            throw new IllegalArgumentException(where + ": " + directive + "[" + key + "] does not close "
                    + (open.isEmpty() ? "any open #if" : "#if[" + open.peek() + "]"));
        }
    }

    private static final Pattern TOP_CLASS = Pattern.compile("(?m)^(?:public |abstract |final )*class ");

    /**
     * {@code ($type$) expr} rounds to float in F32 and is the identity cast {@code (double)} in F64,
     * which javac's lint reports as redundant: the generated F64 class says so once instead.
     */
    private static String quietIdentityCasts(String code) {
        Matcher m = TOP_CLASS.matcher(code);
        if (!m.find()) {
            return code;
        }
        return code.substring(0, m.start())
                + "@SuppressWarnings(\"cast\") // ($type$) casts: rounding to float in F32, the identity here\n"
                + code.substring(m.start());
    }

    private static void write(Path target, String text) {
        try {
            if (Files.exists(target) && Files.readString(target).equals(text)) {
                return;
            }
            Files.createDirectories(target.getParent());
            Files.writeString(target, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
