package dev.ember.opencl;

/**
 * Work sizes for one device. Element-wise kernels use grid-stride loops, so their launch is capped
 * at enough work-groups to fill the device; reductions use one work-group per row, sized to the row.
 */
final class LaunchGrid {
    /** Upper bound on work-group sizes of the element-wise and reduction kernels (EMBER_WG in the sources). */
    static final int MAX_GROUP = 256;

    private final int group;
    private final long maxGroups;
    private final long[] local;

    LaunchGrid(DeviceInfo device) {
        this.group = (int) Math.min(MAX_GROUP, Long.highestOneBit(Math.max(1, device.maxWorkGroupSize())));
        // a CPU device runs a few groups per core; a GPU wants many in flight per compute unit
        this.maxGroups = (long) Math.max(1, device.computeUnits()) * (device.isCpu() ? 4 : 64);
        this.local = new long[] {group};
    }

    /** The work-group size of the element-wise kernels, a power of two; also the local arrays' size. */
    int group() {
        return group;
    }

    /** Global size of a grid-stride launch over {@code n} items. */
    long[] linear(int n) {
        long groups = Math.min((n + (long) group - 1) / group, maxGroups);
        return new long[] {groups * group};
    }

    /** Local size of a grid-stride launch. */
    long[] local() {
        return local.clone();
    }

    /** Work-group size for reducing {@code n} items in one group: a power of two up to {@link #group()}. */
    int groupFor(int n) {
        return (int) Math.min(group, Integer.highestOneBit(Math.max(1, n - 1)) * 2L);
    }
}
