package dev.ember.cpu.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Parallel#launch} with its {@link Args} block, and {@link Scratch}: every index once in
 * chunks no smaller than the grain, arguments read back as put, the block reused and cleared
 * after each launch (also a failed one), scratch arrays reused per slot and zeroed on request.
 */
class LaunchTest {
    private static final Parallel PARALLEL = new Parallel(3);

    /** Counts every index of the launch in the array argument 0, at offset argument 1. */
    private static final Kernel COUNT = (a, from, to) -> {
        AtomicIntegerArray hits = a.ref(0);
        for (int i = from; i < to; i++) {
            hits.incrementAndGet(a.i(1) + i);
        }
    };

    @AfterAll
    static void shutdown() {
        PARALLEL.close();
    }

    @Test
    void coversEveryIndexOnceWhateverTheLengthAndGrain() {
        for (int n : new int[] {0, 1, 2, 5, 64, 1000, 4097}) {
            for (int grain : new int[] {1, 7, 1000}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n + 3);
                PARALLEL.launch(n, grain, COUNT, PARALLEL.args().put(hits).put(3));
                for (int i = 0; i < n + 3; i++) {
                    assertThat(hits.get(i)).as("n=%d grain=%d index %d", n, grain, i).isEqualTo(i < 3 ? 0 : 1);
                }
            }
        }
    }

    @Test
    void splitsIntoChunksOfAtLeastTheGrain() {
        AtomicIntegerArray smallest = new AtomicIntegerArray(1);
        smallest.set(0, Integer.MAX_VALUE);
        Kernel record = (a, from, to) -> smallest.accumulateAndGet(0, to - from, Math::min);
        PARALLEL.launch(250, 100, record, PARALLEL.args());
        assertThat(smallest.get(0)).isEqualTo(125);
        smallest.set(0, Integer.MAX_VALUE);
        PARALLEL.launch(99, 100, record, PARALLEL.args());
        assertThat(smallest.get(0)).isEqualTo(99);
    }

    @Test
    void readsEveryKindOfArgumentBackAsPut() {
        float[] array = new float[1];
        Args args = new Args().put(array).put(-7).put(true).put(0.1f).put(Math.PI).put(false).put(Long.MIN_VALUE + 1);
        assertThat(args.<float[]>ref(0)).isSameAs(array);
        assertThat(args.i(1)).isEqualTo(-7);
        assertThat(args.flag(2)).isTrue();
        assertThat(args.f(3)).isEqualTo(0.1f);
        assertThat(args.d(4)).isEqualTo(Math.PI);
        assertThat(args.flag(5)).isFalse();
        assertThat(args.l(6)).as("a long keeps every bit").isEqualTo(Long.MIN_VALUE + 1);
    }

    @Test
    void rejectsMoreArgumentsThanItsCapacity() {
        Args args = new Args();
        for (int i = 0; i < Args.CAPACITY; i++) {
            args.put(i);
        }
        assertThatThrownBy(() -> args.put(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at most " + Args.CAPACITY);
    }

    @Test
    void reusesOneClearedBlockAcrossLaunchesEvenAfterAFailure() {
        Args first = PARALLEL.args();
        PARALLEL.launch(10, 1, COUNT, first.put(new AtomicIntegerArray(10)).put(0));
        assertThat(first.<Object>ref(0)).as("no array kept alive after the launch").isNull();
        Args second = PARALLEL.args();
        assertThat(second).isSameAs(first);
        Kernel failing = (a, from, to) -> {
            throw new IllegalArgumentException("bad part");
        };
        assertThatThrownBy(() -> PARALLEL.launch(10, 1, failing, second.put(new float[1])))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bad part");
        assertThat(second.<Object>ref(0)).isNull();
        assertThat(PARALLEL.args()).isSameAs(first);
    }

    @Test
    void scratchReusesEachSlotAndZeroesOnRequest() {
        Scratch scratch = Scratch.local();
        float[] a = scratch.floats(Scratch.PART, 100, false);
        a[5] = 3;
        assertThat(scratch.floats(Scratch.PART, 50, false)).isSameAs(a);
        float[] zeroed = scratch.floats(Scratch.PART, 100, true);
        assertThat(zeroed).isSameAs(a);
        assertThat(zeroed[5]).isZero();
        assertThat(scratch.floats(Scratch.PART + 1, 100, false)).isNotSameAs(a);
        assertThat(scratch.floats(Scratch.PART, 200, false)).hasSizeGreaterThanOrEqualTo(200).isNotSameAs(a);
        double[] huge = scratch.doubles(Scratch.CALL, Scratch.KEEP + 1, true);
        assertThat(scratch.doubles(Scratch.CALL, Scratch.KEEP + 1, true)).as("not kept").isNotSameAs(huge);
    }
}
