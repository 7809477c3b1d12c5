package dev.ember.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NativeLibrariesTest {
    @TempDir
    Path temp;

    @Test
    void aMissingLibrarysReasonListsEveryNameAndDirectoryTried() {
        Path absent = temp.resolve("nowhere");
        NativeLibraries.Result result = NativeLibraries.find("libember_missing", null,
                List.of("libember_missing.so.9", "libember_missing.so"), List.of(temp, absent));

        assertThat(result.found()).isFalse();
        assertThat(result.symbols()).isNull();
        assertThat(result.reason()).startsWith("libember_missing not found: tried ")
                .contains("dynamic loader (LD_LIBRARY_PATH, ld.so.cache) could not open libember_missing.so.9,"
                        + " libember_missing.so")
                .contains("no loadable file in " + temp + ", " + absent)
                .doesNotContain("\n");
    }

    @Test
    void aPropertyNamingAMissingFileIsNamedInTheReason() {
        String property = "ember.test.native.missing";
        System.setProperty(property, temp.resolve("libnot_there.so").toString());
        try {
            NativeLibraries.Result result = NativeLibraries.find("libember_missing", property,
                    List.of("libember_missing.so"), List.of());
            assertThat(result.found()).isFalse();
            assertThat(result.reason())
                    .contains("-D" + property + "=" + temp.resolve("libnot_there.so") + " (no such file)");
        } finally {
            System.clearProperty(property);
        }
    }

    @Test
    void aFileThatIsNoLibraryIsReportedWithoutThrowing() throws IOException {
        // an executable: a real ELF file that dlopen refuses (its no-exec-stack note keeps the JVM quiet)
        Path bogus = Files.copy(Path.of("/bin/true"), temp.resolve("libbogus.so.1"));
        NativeLibraries.Result result = NativeLibraries.find("libbogus", null, List.of("libbogus.so.1"), List.of(temp));

        assertThat(result.found()).isFalse();
        assertThat(result.reason()).contains(bogus + " (exists but does not load, e.g. a dependency is not on"
                + " LD_LIBRARY_PATH: IllegalArgumentException");
    }

    @Test
    void aRealLibraryIsFoundThroughTheDynamicLoader() {
        NativeLibraries.Result result = NativeLibraries.find("libm", null,
                List.of("libember_missing.so.9", "libm.so.6"), List.of());

        assertThat(result.found()).as(result.reason()).isTrue();
        assertThat(result.file()).isEqualTo("libm.so.6");
        assertThat(result.symbols().find("cos")).isPresent();
        assertThat(result.reason()).isEmpty();
    }

    @Test
    void aPropertyNamingARealFileWins() {
        String property = "ember.test.native.present";
        Path libjava = Path.of(System.getProperty("java.home"), "lib", "libjava.so");
        System.setProperty(property, libjava.toString());
        try {
            NativeLibraries.Result result = NativeLibraries.find("libjava", property, List.of("libm.so.6"), List.of());
            assertThat(result.found()).as(result.reason()).isTrue();
            assertThat(result.file()).isEqualTo(libjava.toString());
            assertThat(result.symbols().find("JNU_ThrowNullPointerException")).isPresent();
        } finally {
            System.clearProperty(property);
        }
    }

    @Test
    void aFailedPropertyFallsBackToTheSonamesAndSaysSo() {
        String property = "ember.test.native.fallback";
        System.setProperty(property, temp.resolve("libnot_there.so").toString());
        try {
            NativeLibraries.Result result = NativeLibraries.find("libm", property, List.of("libm.so.6"), List.of());
            assertThat(result.found()).as(result.reason()).isTrue();
            assertThat(result.file()).isEqualTo("libm.so.6");
            assertThat(result.reason())
                    .contains("-D" + property + "=" + temp.resolve("libnot_there.so") + " (no such file)");
        } finally {
            System.clearProperty(property);
        }
    }

    @Test
    void aLibraryInASearchedDirectoryIsFoundByPath() throws IOException {
        Path link = Files.createSymbolicLink(temp.resolve("libember_probe.so.1"),
                Path.of(System.getProperty("java.home"), "lib", "libjava.so"));
        NativeLibraries.Result result = NativeLibraries.find("libember_probe", null, List.of("libember_probe.so.1"),
                List.of(temp.resolve("absent"), temp));

        assertThat(result.found()).as(result.reason()).isTrue();
        assertThat(result.file()).isEqualTo(link.toString());
        assertThat(result.reason()).contains("could not open libember_probe.so.1");
        Files.delete(link);   // the JDK's libjava.so stays loaded; JUnit need not warn about the link
    }

    @Test
    void byDefaultTheToolkitsDirectoriesAreSearched() {
        NativeLibraries.Result result = NativeLibraries.find("libember_missing", null,
                List.of("libember_missing.so.9"));

        assertThat(result.found()).isFalse();
        assertThat(result.reason()).contains("/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib");
        String cudaHome = System.getenv("CUDA_HOME");
        if (cudaHome != null && !cudaHome.isBlank()) {
            assertThat(result.reason()).contains(Path.of(cudaHome.trim(), "lib64").toString());
        }
    }
}
