package dev.ember.cpu.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@link Parallel#forEachPart}: every part once per call, across reused pool tasks, failures and concurrent callers. */
class ParallelTest {
    private static final ForkJoinPool POOL = new ForkJoinPool(3);
    private static final Parallel PARALLEL = new Parallel(POOL, 4);

    @AfterAll
    static void shutdown() {
        POOL.shutdown();
    }

    @Test
    void runsEveryPartOncePerCallAcrossManyCalls() {
        for (int parts = 1; parts <= 4; parts++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            for (int call = 0; call < 500; call++) {
                PARALLEL.forEachPart(parts, runs::incrementAndGet);
            }
            for (int part = 0; part < parts; part++) {
                assertThat(runs.get(part)).isEqualTo(500);
            }
        }
    }

    @Test
    void rethrowsAFailedPartAfterAllPartsFinishAndStaysUsable() {
        for (int failing = 0; failing < 3; failing++) {
            int bad = failing;
            AtomicIntegerArray runs = new AtomicIntegerArray(3);
            assertThatThrownBy(() -> PARALLEL.forEachPart(3, part -> {
                runs.incrementAndGet(part);
                if (part == bad) {
                    throw new IllegalArgumentException("part " + part);
                }
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("part " + bad);
            assertThat(runs.get(0) + runs.get(1) + runs.get(2)).isEqualTo(3);
            AtomicIntegerArray after = new AtomicIntegerArray(3);
            PARALLEL.forEachPart(3, after::incrementAndGet);
            assertThat(after.get(0) + after.get(1) + after.get(2)).isEqualTo(3);
        }
    }

    @Test
    void concurrentCallersEachRunTheirOwnParts() throws Exception {
        AtomicIntegerArray runs = new AtomicIntegerArray(2 * 3);
        Thread[] callers = new Thread[2];
        for (int t = 0; t < callers.length; t++) {
            int base = 3 * t;
            callers[t] = new Thread(() -> {
                for (int call = 0; call < 300; call++) {
                    PARALLEL.forEachPart(3, part -> runs.incrementAndGet(base + part));
                }
            });
            callers[t].start();
        }
        for (Thread caller : callers) {
            caller.join();
        }
        for (int i = 0; i < runs.length(); i++) {
            assertThat(runs.get(i)).isEqualTo(300);
        }
    }
}
