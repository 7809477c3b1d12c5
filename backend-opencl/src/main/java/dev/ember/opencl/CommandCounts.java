package dev.ember.opencl;

/** Commands an OpenCL backend has enqueued: kernel launches, and buffer fills (each new buffer is zero-filled). */
public record CommandCounts(long kernelLaunches, long bufferFills) {
    /** The commands enqueued since {@code earlier}. */
    public CommandCounts since(CommandCounts earlier) {
        return new CommandCounts(kernelLaunches - earlier.kernelLaunches, bufferFills - earlier.bufferFills);
    }
}
