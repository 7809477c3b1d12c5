package dev.ember.gpu;

/**
 * Work sizes for one device. Element-wise kernels use grid-stride loops, so their launch is capped
 * at enough work-groups to fill the device; reductions use one work-group per row, sized to the row.
 */
public final class LaunchGrid {
    /** Upper bound on work-group sizes of the element-wise and reduction kernels (EMBER_WG in the sources). */
    public static final int MAX_GROUP = 256;

    private final int group;
    private final long maxGroups;
    private final long[] local;

    /**
     * @param maxGroupSize the device's largest work-group (thread block)
     * @param computeUnits its compute units (OpenCL) or multiprocessors (CUDA)
     * @param cpu          whether it is a CPU device
     */
    public LaunchGrid(long maxGroupSize, int computeUnits, boolean cpu) {
        this.group = (int) Math.min(MAX_GROUP, Long.highestOneBit(Math.max(1, maxGroupSize)));
        // a CPU device runs a few groups per core; a GPU wants many in flight per compute unit
        this.maxGroups = (long) Math.max(1, computeUnits) * (cpu ? 4 : 64);
        this.local = new long[] {group};
    }

    /** The work-group size of the element-wise kernels, a power of two; also the local arrays' size. */
    public int group() {
        return group;
    }

    /** Global size of a grid-stride launch over {@code n} items. */
    public long[] linear(int n) {
        long groups = Math.min((n + (long) group - 1) / group, maxGroups);
        return new long[] {groups * group};
    }

    /** Local size of a grid-stride launch. */
    public long[] local() {
        return local.clone();
    }

    /** Work-group size for reducing {@code n} items in one group: a power of two up to {@link #group()}. */
    public int groupFor(int n) {
        return (int) Math.min(group, Integer.highestOneBit(Math.max(1, n - 1)) * 2L);
    }
}
