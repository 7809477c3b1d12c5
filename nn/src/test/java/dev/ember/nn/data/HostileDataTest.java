package dev.ember.nn.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hostile IDX and CSV files fail with one line naming the file, the field and the rule, before
 * anything is allocated for values the file does not hold.
 */
class HostileDataTest {
    @TempDir
    Path dir;

    static byte[] idx(int type, int[] dims, byte[] payload) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt((type << 8) | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(payload);
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bytes)) {
            o.write(content);
        }
        return bytes.toByteArray();
    }

    private Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    /** Bytes this thread allocated while running {@code r}. */
    private static long allocatedBy(Runnable r) {
        long before = allocatedSoFar();
        r.run();
        return allocatedSoFar() - before;
    }

    /**
     * The JDK's per-thread allocation counter, reached reflectively: nn's module does not read
     * java.management, and the tests run on the class path, where the call is allowed.
     */
    private static long allocatedSoFar() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                    .invoke(null);
            return (long) Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes")
                    .invoke(bean);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aSmallGzipClaimingABillionValuesFailsWithoutAllocatingThem() throws IOException {
        byte[] bomb = gzip(idx(0x08, new int[] {1_000_000_000}, new byte[100_000]));
        assertThat(bomb.length).isLessThan(1000);
        Path f = file("bomb.gz", bomb);
        long[] allocated = new long[1];
        allocated[0] = allocatedBy(() -> assertThatThrownBy(() -> IdxLoader.read(f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idx: " + f + ": size: the header claims 1000000000 values (1000000000 bytes), more than"
                        + " a gzip of " + bomb.length + " bytes can hold (" + bomb.length * 1032L + ")"));
        assertThat(allocated[0]).isLessThan(16L << 20);
        // from a stream of unknown length: the buffer grows only with the bytes that arrive
        allocated[0] = allocatedBy(() -> assertThatThrownBy(() -> IdxLoader.read(new ByteArrayInputStream(bomb),
                "bomb")).hasMessage("idx: bomb: size: ends after 100000 of the 1000000000 bytes of values its header"
                + " claims"));
        assertThat(allocated[0]).isLessThan(16L << 20);
    }

    @Test
    void anUncompressedFileMustHoldExactlyWhatItsHeaderClaims() throws IOException {
        Path claims = file("claims", idx(0x08, new int[] {300_000_000}, new byte[10]));
        long allocated = allocatedBy(() -> assertThatThrownBy(() -> IdxLoader.read(claims))
                .hasMessage("idx: " + claims + ": size: the header claims 300000000 values (8 + 300000000 bytes), the"
                        + " file has 18 bytes"));
        assertThat(allocated).isLessThan(16L << 20);
        Path trailing = file("trailing", idx(0x08, new int[] {2}, new byte[3]));
        assertThatThrownBy(() -> IdxLoader.read(trailing)).hasMessageContaining("size: the header claims 2 values")
                .hasMessageContaining("the file has 11 bytes");
        assertThatThrownBy(() -> IdxLoader.read(new ByteArrayInputStream(idx(0x08, new int[] {2}, new byte[3])),
                "s")).hasMessage("idx: s: size: there are bytes after its 2 values");
    }

    @Test
    void dimensionsAreMultipliedWithoutOverflow() throws IOException {
        // 65536^4 = 2^64 wraps a long to 0, and 2^32 + 4 wraps an int to 4
        Path wraps = file("wraps", idx(0x08, new int[] {65536, 65536, 65536, 65536}, new byte[0]));
        assertThatThrownBy(() -> IdxLoader.read(wraps)).hasMessage("idx: " + wraps
                + ": dimensions [65536, 65536, 65536, 65536]: more than 2147483639 values, the most one Java array holds");
        Path wrapsInt = file("wrapsInt", idx(0x08, new int[] {4, 1073741825}, new byte[4]));
        assertThatThrownBy(() -> IdxLoader.read(wrapsInt)).hasMessageContaining("dimensions [4, 1073741825]: more"
                + " than 2147483639 values");
        Path hidden = file("hidden", idx(0x08, new int[] {0, 65536, 65536}, new byte[0]));
        assertThatThrownBy(() -> IdxLoader.read(hidden)).hasMessageContaining("dimensions [0, 65536, 65536]: more"
                + " than 2147483639 values per item");
        Path doubles = file("doubles", idx(0x0E, new int[] {300_000_000}, new byte[0]));
        assertThatThrownBy(() -> IdxLoader.read(doubles)).hasMessageContaining("300000000 values of 8 bytes, more"
                + " than the 2147483639 bytes one Java array holds");
        Path negative = file("negative", idx(0x08, new int[] {3, -5}, new byte[0]));
        assertThatThrownBy(() -> IdxLoader.read(negative)).hasMessage("idx: " + negative
                + ": dimension 1 is -5: must be >= 0");
    }

    @Test
    void theHeaderFieldsAreChecked() throws IOException {
        Path type = file("type", idx(0x07, new int[] {1}, new byte[1]));
        assertThatThrownBy(() -> IdxLoader.read(type)).hasMessage("idx: " + type
                + ": data type 0x07: must be 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E");
        Path rank0 = file("rank0", idx(0x08, new int[0], new byte[1]));
        assertThatThrownBy(() -> IdxLoader.read(rank0)).hasMessage("idx: " + rank0
                + ": dimension count 0: must be at least 1");
        Path cut = file("cut", new byte[] {0, 0, 8, 3, 0, 0, 0, 1});
        assertThatThrownBy(() -> IdxLoader.read(cut)).hasMessage("idx: " + cut
                + ": header: ends before its 3 dimensions");
        byte[] gz = gzip(idx(0x08, new int[] {100}, new byte[100]));
        Path truncated = file("truncated.gz", java.util.Arrays.copyOf(gz, gz.length - 12));
        assertThatThrownBy(() -> IdxLoader.read(truncated)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("idx: " + truncated + ": ");
    }

    private static byte[] floats(float... v) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (float f : v) {
            out.writeFloat(f);
        }
        return bytes.toByteArray();
    }

    @Test
    void labelsMustBeIntegersInRange() throws IOException {
        Path images = file("images", idx(0x08, new int[] {2, 2}, new byte[] {1, 2, 3, 4}));
        Path fraction = file("fraction", idx(0x0D, new int[] {2}, floats(1, 3.7f)));
        assertThatThrownBy(() -> IdxLoader.images(images, fraction, 10, 1)).hasMessage("idx: " + fraction
                + ": label of example 1 is 3.700000047683716: labels must be integers");
        Path nan = file("nan", idx(0x0D, new int[] {2}, floats(Float.NaN, 1)));
        assertThatThrownBy(() -> IdxLoader.images(images, nan, 10, 1)).hasMessage("idx: " + nan
                + ": label of example 0 is NaN: labels must be integers");
        Path big = file("big", idx(0x08, new int[] {2}, new byte[] {1, 12}));
        assertThatThrownBy(() -> IdxLoader.images(images, big, 10, 1)).hasMessage("idx: " + big
                + ": label of example 1 is 12: labels must be in [0, 10)");
        Path wide = file("wide", idx(0x08, new int[] {2, 2}, new byte[4]));
        assertThatThrownBy(() -> IdxLoader.images(images, wide, 10, 1)).hasMessage("idx: " + wide
                + ": dimensions [2, 2]: labels must be one value per example");
        Path three = file("three", idx(0x08, new int[] {3}, new byte[3]));
        assertThatThrownBy(() -> IdxLoader.images(images, three, 10, 1)).hasMessage("idx: " + images
                + ": dimension 0 is 2 images: must match the 3 labels of " + three);
        Path whole = file("whole", idx(0x0D, new int[] {2}, floats(9, 0)));
        assertThat(IdxLoader.images(images, whole, 10, 0.5).features()).containsExactly(0.5, 1, 1.5, 2);
    }

    @Test
    void byteImagesStayBytes() throws IOException {
        Path images = file("images.gz", gzip(idx(0x08, new int[] {2, 1, 2}, new byte[] {1, (byte) 200, 3, 4})));
        Path labels = file("labels", idx(0x08, new int[] {2}, new byte[] {0, 1}));
        Dataset d = IdxLoader.images(images, labels, 2, 1 / 255.0);
        assertThat(d.store()).isInstanceOf(Features.ScaledBytes.class);
        assertThat(d.features()).containsExactly(1 / 255.0, 200 / 255.0, 3 / 255.0, 4 / 255.0);
    }

    @Test
    void dimensionsReadsOnlyTheCheckedHeader() throws IOException {
        Path images = file("images.gz", gzip(idx(0x08, new int[] {2, 1, 2}, new byte[4])));
        assertThat(IdxLoader.dimensions(images)).containsExactly(2, 1, 2);
        Path claims = file("claims", idx(0x08, new int[] {300_000_000}, new byte[10]));
        assertThatThrownBy(() -> IdxLoader.dimensions(claims)).hasMessageContaining("size: the header claims");
        assertThatThrownBy(() -> IdxLoader.dimensions(dir.resolve("none"))).hasMessageContaining("idx: no file");
    }

    private Path csv(String content) throws IOException {
        Path p = dir.resolve("d.csv");
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "Infinity", "-Infinity", "1e999", "-1e400", "0x1p3", "1d", "2f", "1_000",
            "", "1 2", "+", "1e", ".", "٣"})
    void csvAcceptsOnlyFiniteDecimalNumbers(String cell) throws IOException {
        Path f = csv("a,b,y\n1,2,0\n3," + cell + ",1\n");
        assertThatThrownBy(() -> CsvLoader.load(f, "y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("csv: " + f + " line 3, column 'b': '" + cell.strip() + "' is ")
                .hasMessageFindingMatch("is (not a finite decimal number|beyond the range of a double)");
    }

    @Test
    void csvDecimalFormsAreRead() throws IOException {
        Path f = csv("a,b,c,d,e,y\n+1,-2.,.5,1E3,-2.5e-3,0\n");
        assertThat(CsvLoader.load(f, "y").features()).containsExactly(1, -2, 0.5, 1000, -2.5e-3);
    }

    @Test
    void nanIsAcceptedInFeaturesOnlyWhenAllowed() throws IOException {
        Path f = csv("a,b,y\n1,NaN,0\n");
        assertThatThrownBy(() -> CsvLoader.load(f, "y")).hasMessage("csv: " + f + " line 2, column 'b': 'NaN' is not"
                + " a finite decimal number (NaN is accepted in features only with CsvLoader.allowNaN())");
        assertThat(CsvLoader.builder().labelColumn("y").allowNaN().load(f).features()).containsExactly(1, Double.NaN);
        Path label = csv("a,b,y\n1,2,NaN\n");
        assertThatThrownBy(() -> CsvLoader.builder().labelColumn("y").allowNaN().load(label))
                .hasMessageContaining("line 2, column 'y': 'NaN' is not a finite decimal number");
        Path infinite = csv("a,b,y\n1,Infinity,0\n");
        assertThatThrownBy(() -> CsvLoader.builder().labelColumn("y").allowNaN().load(infinite))
                .hasMessageContaining("column 'b': 'Infinity' is not a finite decimal number");
    }

    @Test
    void csvClassLabelsMustBeIndicesInRange() throws IOException {
        Path f = csv("a,y\n1,0\n2,3\n");
        assertThatThrownBy(() -> CsvLoader.builder().classes(3).load(f)).hasMessage("csv: " + f
                + " line 3, column 'y': label 3 is not a class index in [0, 3)");
        Path g = csv("a,y\n1,0.5\n");
        assertThatThrownBy(() -> CsvLoader.builder().classes(3).load(g)).hasMessageContaining("label 0.5 is not a"
                + " class index in [0, 3)");
    }
}
