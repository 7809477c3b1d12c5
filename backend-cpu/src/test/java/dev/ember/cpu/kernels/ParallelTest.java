package dev.ember.cpu.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Parallel#forEachPart}: every part once per call, across reused forks, failures,
 * concurrent callers, parts that sleep at random (so helpers arrive late, after their call has
 * returned and the next has begun), helpers held by another call, helpers that park after every
 * call, one thread and a closed Parallel.
 */
class ParallelTest {
    private static final Parallel PARALLEL = new Parallel(4);

    @AfterAll
    static void shutdown() {
        PARALLEL.close();
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

    @Test
    void rapidCallsWithRandomlySleepingPartsRunEachPartOnceAndOnlyDuringTheirCall() {
        List<AtomicIntegerArray> history = new ArrayList<>();
        AtomicReference<String> error = new AtomicReference<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int call = 0; call < 3000; call++) {
            int parts = 1 + random.nextInt(9);   // more parts than threads too
            AtomicIntegerArray runs = new AtomicIntegerArray(parts);
            AtomicBoolean returned = new AtomicBoolean();
            int id = call;
            PARALLEL.forEachPart(parts, part -> {
                if (returned.get()) {
                    error.compareAndSet(null, "call " + id + " ran part " + part + " after returning");
                }
                runs.incrementAndGet(part);
                int nap = ThreadLocalRandom.current().nextInt(8);
                if (nap < 3) {
                    LockSupport.parkNanos(nap * 20_000L);
                }
            });
            returned.set(true);
            for (int part = 0; part < parts; part++) {
                assertThat(runs.get(part)).as("call %d part %d", call, part).isEqualTo(1);
            }
            history.add(runs);
        }
        LockSupport.parkNanos(20_000_000);   // let any stray task run
        assertThat(error.get()).isNull();
        for (int call = 0; call < history.size(); call++) {
            AtomicIntegerArray runs = history.get(call);
            for (int part = 0; part < runs.length(); part++) {
                assertThat(runs.get(part)).as("call %d part %d, later", call, part).isEqualTo(1);
            }
        }
    }

    @Test
    void callerRunsEveryPartWhileAnotherCallHoldsTheHelpersAndLateHelpersFindNothing() throws Exception {
        try (Parallel parallel = new Parallel(2)) {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            Thread holder = new Thread(() -> parallel.forEachPart(2, part -> {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            holder.start();
            holding.await();
            List<AtomicIntegerArray> history = new ArrayList<>();
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                Thread caller = Thread.currentThread();
                for (int call = 0; call < 50; call++) {   // the helper is busy: no part may wait for it
                    AtomicIntegerArray runs = new AtomicIntegerArray(6);
                    parallel.forEachPart(6, part -> {
                        assertThat(Thread.currentThread()).isSameAs(caller);
                        runs.incrementAndGet(part);
                    });
                    history.add(runs);
                }
            });
            release.countDown();   // the helper comes back, interleaved with new calls
            for (int call = 0; call < 500; call++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(6);
                parallel.forEachPart(6, part -> {
                    runs.incrementAndGet(part);
                    if (part % 3 == 0) {
                        LockSupport.parkNanos(10_000);
                    }
                });
                history.add(runs);
            }
            holder.join();
            for (int call = 0; call < history.size(); call++) {
                for (int part = 0; part < 6; part++) {
                    assertThat(history.get(call).get(part)).as("call %d part %d", call, part).isEqualTo(1);
                }
            }
        }
    }

    @Test
    void helpersThatParkAfterEveryCallAreWokenForTheNext() {
        try (Parallel parallel = new Parallel(2, 0)) {
            Thread caller = Thread.currentThread();
            AtomicBoolean helped = new AtomicBoolean();
            for (int call = 0; call < 200 && !helped.get(); call++) {
                AtomicIntegerArray runs = new AtomicIntegerArray(2);
                parallel.forEachPart(2, part -> {
                    runs.incrementAndGet(part);
                    if (Thread.currentThread() != caller) {
                        helped.set(true);
                    }
                    LockSupport.parkNanos(1_000_000);
                });
                assertThat(runs.get(0) + runs.get(1)).isEqualTo(2);
                LockSupport.parkNanos(200_000);   // the helper parks between calls
            }
            assertThat(helped).as("a parked helper took a part").isTrue();
        }
    }

    @Test
    void oneThreadOrAClosedParallelRunsEveryPartOnTheCaller() {
        Parallel closed = new Parallel(3);
        closed.forEachPart(4, part -> { });
        closed.close();
        for (Parallel parallel : new Parallel[] {new Parallel(1), closed}) {
            Thread caller = Thread.currentThread();
            AtomicIntegerArray runs = new AtomicIntegerArray(5);
            parallel.forEachPart(5, part -> {
                assertThat(Thread.currentThread()).isSameAs(caller);
                runs.incrementAndGet(part);
            });
            for (int part = 0; part < 5; part++) {
                assertThat(runs.get(part)).isEqualTo(1);
            }
        }
    }

    @Test
    void concurrentCallersWithSleepingPartsEachRunTheirOwnPartsOnce() throws Exception {
        Thread[] callers = new Thread[3];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < callers.length; t++) {
            callers[t] = new Thread(() -> {
                try {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int call = 0; call < 400; call++) {
                        int parts = 2 + random.nextInt(7);
                        AtomicIntegerArray runs = new AtomicIntegerArray(parts);
                        PARALLEL.forEachPart(parts, part -> {
                            runs.incrementAndGet(part);
                            if (ThreadLocalRandom.current().nextInt(4) == 0) {
                                LockSupport.parkNanos(15_000);
                            }
                        });
                        for (int part = 0; part < parts; part++) {
                            if (runs.get(part) != 1) {
                                throw new AssertionError("part " + part + " ran " + runs.get(part) + " times");
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            callers[t].start();
        }
        for (Thread caller : callers) {
            caller.join();
        }
        assertThat(failure.get()).isNull();
    }

    @Test
    void morePartsThanThreadsAndFailuresAmongThem() {
        AtomicIntegerArray runs = new AtomicIntegerArray(16);
        assertThatThrownBy(() -> PARALLEL.forEachPart(16, part -> {
            runs.incrementAndGet(part);
            if (part == 13) {
                throw new IllegalStateException("thirteen");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("thirteen");
        for (int part = 0; part < 16; part++) {
            assertThat(runs.get(part)).isEqualTo(1);
        }
    }
}
