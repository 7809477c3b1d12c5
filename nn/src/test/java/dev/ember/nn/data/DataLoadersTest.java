package dev.ember.nn.data;

import dev.ember.core.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

/** CSV and IDX loading on small files written here. */
class DataLoadersTest {
    @TempDir
    Path dir;

    @Test
    void csvWithHeaderAndLabelColumnIsReadExactly() throws IOException {
        Path f = dir.resolve("d.csv");
        Files.writeString(f, "x1,y,x2\n0.1,1,-2.5e-3\n\n3.0000000000000004,0,7\n", StandardCharsets.UTF_8);
        Dataset d = CsvLoader.load(f, "y");
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.featureShape()).isEqualTo(Shape.of(2));
        assertThat(d.features()).containsExactly(0.1, -2.5e-3, 3.0000000000000004, 7);
        assertThat(d.labels()).containsExactly(1, 0);
    }

    @Test
    void csvLabelsDefaultToTheLastColumnAndCanBeOneHot() throws IOException {
        Path f = dir.resolve("c.csv");
        Files.writeString(f, "a,b,label\n1,2,2\n3,4,0\n");
        Dataset d = CsvLoader.builder().classes(3).load(f);
        assertThat(d.labelShape()).isEqualTo(Shape.of(3));
        assertThat(d.labels()).containsExactly(0, 0, 1, 1, 0, 0);
    }

    @Test
    void csvErrorsNameTheFileLineAndColumn() throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "x1,x2,y\n1,2,0\n1,oops,1\n");
        assertThatThrownBy(() -> CsvLoader.load(f, "y")).hasMessageContaining("line 3")
                .hasMessageContaining("'x2'").hasMessageContaining("oops");
        assertThatThrownBy(() -> CsvLoader.load(f, "label")).hasMessageContaining("no column 'label'");
        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "x1,x2,y\n1,2\n");
        assertThatThrownBy(() -> CsvLoader.load(ragged, "y")).hasMessageContaining("2 values");
    }

    private static byte[] idx(int type, int[] dims, byte[] payload) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt((type << 8) | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(payload);
        return bytes.toByteArray();
    }

    private static void write(Path p, byte[] content, boolean gzip) throws IOException {
        try (OutputStream o = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            o.write(content);
        }
    }

    @Test
    void idxImagesAndLabelsGzipAndPlain() throws IOException {
        byte[] pixels = new byte[3 * 2 * 2];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 20 + 15);      // goes above 127: unsigned bytes
        }
        byte[] images = idx(0x08, new int[] {3, 2, 2}, pixels);
        byte[] labels = idx(0x08, new int[] {3}, new byte[] {9, 0, 4});
        for (boolean gz : new boolean[] {true, false}) {
            Path img = dir.resolve("images" + gz);
            Path lab = dir.resolve("labels" + gz);
            write(img, images, gz);
            write(lab, labels, gz);
            IdxLoader.IdxArray a = IdxLoader.read(img);
            assertThat(a.dims()).containsExactly(3, 2, 2);
            assertThat(a.itemSize()).isEqualTo(4);
            assertThat(a.values()[11]).isEqualTo(235);
            Dataset d = IdxLoader.images(img, lab, 10, 1 / 255.0);
            assertThat(d.size()).isEqualTo(3);
            assertThat(d.featureShape()).isEqualTo(Shape.of(4));
            assertThat(d.features()[11]).isEqualTo(235 / 255.0);
            assertThat(d.labels()[9]).isEqualTo(1);        // example 0 is class 9
            assertThat(d.labels()[10]).isEqualTo(1);       // example 1 is class 0
        }
    }

    @Test
    void idxOtherTypesAndErrors() throws IOException {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        DataOutputStream o = new DataOutputStream(payload);
        o.writeInt(-5);
        o.writeInt(70000);
        Path ints = dir.resolve("ints");
        write(ints, idx(0x0C, new int[] {2}, payload.toByteArray()), false);
        assertThat(IdxLoader.read(ints).values()).containsExactly(-5, 70000);

        Path shortFile = dir.resolve("short");
        write(shortFile, idx(0x08, new int[] {5}, new byte[] {1, 2}), true);
        assertThatThrownBy(() -> IdxLoader.read(shortFile)).hasMessageContaining("ends after 2 of the 5 bytes");
        Path notIdx = dir.resolve("text");
        Files.writeString(notIdx, "hello world");
        assertThatThrownBy(() -> IdxLoader.read(notIdx)).hasMessageContaining("magic");
        assertThatThrownBy(() -> IdxLoader.read(dir.resolve("missing"))).hasMessageContaining("no file");
    }
}
