package dev.ember.core.trace;

import dev.ember.core.spi.Backend;
import dev.ember.core.spi.Span;

/**
 * One recorded backend call, ready to issue again: its arguments are fixed (host scalars that vary
 * per step are {@link dev.ember.core.LiveScalar}s read when it runs), and every buffer it touches is
 * one of its {@link #spans}, with how it is accessed and how many elements from the span's offset it
 * may touch. That is all the planner needs for liveness, zero-filling and buffer reuse, whatever
 * the call is; {@link #on} rebuilds the call over other buffers.
 */
public abstract class Call {
    /** How a call uses one of its spans. */
    public enum Access {
        READ,
        /** Overwrites every element of its extent without reading it. */
        WRITE,
        /** Reads and writes (in-place state such as an optimiser's moments). */
        UPDATE
    }

    private final String name;
    final Span[] spans;
    final Access[] access;
    final int[] extents;

    Call(String name, Span[] spans, Access[] access, int[] extents) {
        if (spans.length != access.length || spans.length != extents.length) {
            throw new IllegalArgumentException(name + ": " + spans.length + " spans, " + access.length
                    + " access modes, " + extents.length + " extents");
        }
        this.name = name;
        this.spans = spans;
        this.access = access;
        this.extents = extents;
    }

    /** The backend method this call issues. */
    public String name() {
        return name;
    }

    /** The name and the sizes of the buffers touched, for profiles. */
    public String describe() {
        StringBuilder b = new StringBuilder(name).append(" [");
        for (int i = 0; i < extents.length; i++) {
            b.append(i == 0 ? "" : ", ").append(extents[i]);
        }
        return b.append(']').toString();
    }

    /** Issues the call. */
    public abstract void run(Backend backend);

    /** The same call with {@code replaced[i]} in place of span {@code i}. */
    abstract Call on(Span[] replaced);

    /** Whether span {@code i} is overwritten whole: its whole buffer, without being read first. */
    boolean overwritesBuffer(int i) {
        return access[i] == Access.WRITE && spans[i].offset() == 0 && extents[i] >= spans[i].buffer().length();
    }

    @Override
    public String toString() {
        return name;
    }
}
