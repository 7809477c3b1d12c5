package dev.ember.cuda;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/** The block handed to cuLaunchKernel reads back, through its pointer array, as the values added. */
class KernelParametersTest {
    @Test
    void eachPointerLeadsToItsValue() {
        KernelParameters p = new KernelParameters();
        p.add64(0x7f00_1234_5678L);                         // a device address
        p.add32(-7);                                         // an int
        p.add32(Float.floatToRawIntBits(1.5f));              // a float
        p.add64(Double.doubleToRawLongBits(-2.25));          // a double
        for (int i = 0; i < 20; i++) {                       // past the first capacity
            p.add32(i);
        }
        assertThat(p.count()).isEqualTo(24);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment block = p.pack(arena);
            assertThat(valueAt(block, 0).get(JAVA_LONG, 0)).isEqualTo(0x7f00_1234_5678L);
            assertThat(valueAt(block, 1).get(JAVA_INT, 0)).isEqualTo(-7);
            assertThat(valueAt(block, 2).get(JAVA_FLOAT, 0)).isEqualTo(1.5f);
            assertThat(valueAt(block, 3).get(JAVA_DOUBLE, 0)).isEqualTo(-2.25);
            for (int i = 0; i < 20; i++) {
                assertThat(valueAt(block, 4 + i).get(JAVA_INT, 0)).isEqualTo(i);
            }
            // the pointers lie in the block, each to an 8-byte slot of its own
            long first = block.get(ADDRESS, 0).address();
            assertThat(first).isEqualTo(block.address() + 8L * 24);
            assertThat(block.get(ADDRESS, 8L * 23).address()).isEqualTo(first + 8L * 23);
        }
    }

    private static MemorySegment valueAt(MemorySegment block, int i) {
        long offset = block.get(ADDRESS, 8L * i).address() - block.address();
        return block.asSlice(offset, 8);
    }
}
