package dev.ember.opencl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Memory the host can still give a process, for OpenCL devices whose buffers are host memory (PoCL
 * on the CPU): such a driver accepts any buffer up to its nominal global size and allocates it later,
 * aborting the process if the host cannot back it. Linux only: {@code MemAvailable} of
 * {@code /proc/meminfo}, lowered to the cgroup's room ({@code memory.max - memory.current}) in a
 * container; empty where neither can be read.
 */
final class HostMemory {
    private static final Path MEMINFO = Path.of("/proc/meminfo");
    private static final Path CGROUP_MAX = Path.of("/sys/fs/cgroup/memory.max");
    private static final Path CGROUP_CURRENT = Path.of("/sys/fs/cgroup/memory.current");

    private HostMemory() {
    }

    /** Bytes the host can still allocate to this process, if known. */
    static OptionalLong available() {
        OptionalLong meminfo = memAvailable();
        OptionalLong cgroup = cgroupRoom();
        if (meminfo.isPresent() && cgroup.isPresent()) {
            return OptionalLong.of(Math.min(meminfo.getAsLong(), cgroup.getAsLong()));
        }
        return meminfo.isPresent() ? meminfo : cgroup;
    }

    private static OptionalLong memAvailable() {
        try {
            for (String line : Files.readAllLines(MEMINFO)) {
                if (line.startsWith("MemAvailable:")) {
                    return parseKiloBytes(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: unknown
        }
        return OptionalLong.empty();
    }

    /** {@code MemAvailable:   24060588 kB} as bytes. */
    static OptionalLong parseKiloBytes(String line) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length == 3 && parts[2].equals("kB")) {
            try {
                return OptionalLong.of(Long.parseLong(parts[1]) * 1024);
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    private static OptionalLong cgroupRoom() {
        try {
            String max = Files.readString(CGROUP_MAX).trim();
            if (max.equals("max")) {
                return OptionalLong.empty();
            }
            long current = Long.parseLong(Files.readString(CGROUP_CURRENT).trim());
            return OptionalLong.of(Math.max(0, Long.parseLong(max) - current));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
