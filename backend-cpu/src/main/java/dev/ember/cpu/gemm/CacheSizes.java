package dev.ember.cpu.gemm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Per-core L2 and L3 capacities in bytes (what {@link GemmBlocking} sizes its blocks from), read
 * from Linux sysfs ({@code /sys/devices/system/cpu/cpu0/cache/index*}); a shared cache is divided
 * by the number of CPUs sharing it. Some virtual machines have no sysfs cache entries; there, on
 * AMD, the L2 comes from {@code /proc/cpuinfo}'s "cache size", which Linux fills with the per-core
 * L2 on AMD and Hygon CPUs (and with the shared last-level cache on Intel, so it is not used there).
 * Falls back to 512 KiB of L2 and 2 MiB of L3 per core.
 */
record CacheSizes(int l2, int l3) {
    static final CacheSizes DEFAULT = new CacheSizes(512 << 10, 2 << 20);

    static CacheSizes detect() {
        int l2 = -1, l3 = DEFAULT.l3;
        Path root = Path.of("/sys/devices/system/cpu/cpu0/cache");
        for (int index = 0; index < 8; index++) {
            Path dir = root.resolve("index" + index);
            try {
                if (!Files.isDirectory(dir) || read(dir, "type").equals("Instruction")) {
                    continue;
                }
                int bytes = parseSize(read(dir, "size")) / Math.max(1, cpuCount(read(dir, "shared_cpu_list")));
                switch (Integer.parseInt(read(dir, "level"))) {
                    case 2 -> l2 = bytes;
                    case 3 -> l3 = bytes;
                    default -> { }
                }
            } catch (IOException | RuntimeException unreadable) {
                // keep the default for this level
            }
        }
        if (l2 < 0) {
            try {
                l2 = l2FromCpuinfo(Files.readString(Path.of("/proc/cpuinfo")));
            } catch (IOException | RuntimeException unreadable) {
                // keep the default
            }
        }
        if (l2 < 0) {
            l2 = DEFAULT.l2;
        }
        return new CacheSizes(Math.max(l2, 64 << 10), Math.max(l3, 256 << 10));
    }

    /**
     * The per-core L2 in bytes from the text of {@code /proc/cpuinfo} where the first processor's
     * vendor is AMD or Hygon (Linux reports their L2 as "cache size"), else -1.
     */
    static int l2FromCpuinfo(String cpuinfo) {
        String vendor = null, size = null;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                if (line.isBlank() && vendor != null) {
                    break;             // the end of the first processor's block
                }
                continue;
            }
            String key = line.substring(0, colon).trim(), value = line.substring(colon + 1).trim();
            if (key.equals("vendor_id") && vendor == null) {
                vendor = value;
            } else if (key.equals("cache size") && size == null) {
                size = value;
            }
        }
        if (size == null || !("AuthenticAMD".equals(vendor) || "HygonGenuine".equals(vendor))) {
            return -1;
        }
        String[] parts = size.split("\\s+");   // "1024 KB"
        return parseSize(parts[0] + (parts.length > 1 ? parts[1].substring(0, 1) : ""));
    }

    private static String read(Path dir, String name) throws IOException {
        return Files.readString(dir.resolve(name)).trim();
    }

    /** Parses sysfs sizes such as {@code 32K}, {@code 1024K}, {@code 32M}. */
    static int parseSize(String size) {
        char unit = Character.toUpperCase(size.charAt(size.length() - 1));
        long scale = switch (unit) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        String digits = Character.isDigit(unit) ? size : size.substring(0, size.length() - 1);
        return (int) Math.min(Integer.MAX_VALUE, Long.parseLong(digits) * scale);
    }

    /** Counts the CPUs in a list such as {@code 0-3,8,10-11}. */
    static int cpuCount(String list) {
        int count = 0;
        for (String part : list.split(",")) {
            String[] range = part.trim().split("-");
            count += range.length == 1 ? 1 : Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        }
        return count;
    }
}
