package dev.ember.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every failure of a command is one line on stderr, never a stack trace: Errors such as
 * OutOfMemoryError included, and sizes checked before any work.
 */
class OneLineErrorsTest {
    /** A command that fails the way it is told to. */
    @Command(name = "fail")
    static final class Fail implements Callable<Integer> {
        private final Supplier<Throwable> failure;

        Fail(Supplier<Throwable> failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() throws Exception {
            return allocate();
        }

        private int allocate() throws Exception {
            Throwable t = failure.get();   // made here, so its stack's top is this method
            if (t instanceof Error e) {
                throw e;
            }
            throw (Exception) t;
        }
    }

    private static InfoCommandTest.Run run(Supplier<Throwable> failure) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Fail(failure));
        cl.setErr(new PrintWriter(err, true));
        int code = EmberCommand.oneLineErrors(cl).execute();
        return new InfoCommandTest.Run(code, "", err.toString());
    }

    @Test
    void anOutOfMemoryErrorSaysWhereAndHowToRaiseTheHeap() {
        InfoCommandTest.Run r = run(() -> {
            long[] tooMany = new long[Integer.MAX_VALUE - 8];   // 16 GiB: more than the tests' heap
            return new IllegalStateException("allocated " + tooMany.length);
        });
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).hasLineCount(1).startsWith("fail: out of memory (Java heap space) while allocating in "
                + OneLineErrorsTest.class.getName() + ".lambda$")
                .contains("; the Java heap's limit is " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB")
                .contains("MiB: give the JVM more with -Xmx, e.g. EMBER_JAVA_OPTS=-Xmx8g");
    }

    @Test
    void otherErrorsAreOneLineToo() {
        InfoCommandTest.Run overflow = run(StackOverflowError::new);
        assertThat(overflow.err()).hasLineCount(1).isEqualTo("fail: stack overflow in " + Fail.class.getName()
                + ".allocate: the recursion is too deep (a larger stack: -Xss in EMBER_JAVA_OPTS)\n");
        InfoCommandTest.Run linkage = run(() -> new NoClassDefFoundError("org/example/Missing"));
        assertThat(linkage.exitCode()).isEqualTo(1);
        assertThat(linkage.err()).isEqualTo("fail: NoClassDefFoundError: org/example/Missing\n");
        InfoCommandTest.Run multiLine = run(() -> new IllegalStateException("first\n  second"));
        assertThat(multiLine.err()).isEqualTo("fail: IllegalStateException: first / second\n");
    }

    @Test
    void usageErrorsAreOneLineWithWhereTheUsageIs() {
        InfoCommandTest.Run r = InfoCommandTest.ember("info", "--nonsense");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).hasLineCount(1).contains("Unknown option", "--nonsense", "(usage: ember info --help)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "46341|gemm shape 46341x46341x46341: A is 46341 x 46341 = 2147488281 elements, more than one buffer holds"
                    + " (2147483639)",
            "65537|gemm shape 65537x65537x65537: A is 65537 x 65537 = 4295098369 elements",
            "100000|gemm shape 100000x100000x100000: A is 100000 x 100000 = 10000000000 elements",
            "-5|gemm shape: m must be >= 1, got -5",
            "8x0x8|gemm shape: n must be >= 1, got 0",
            "99999999999|gemm shape: '99999999999' in '99999999999' is not a whole number from 1 to 2147483647",
            "46340|46340x46340x46340 f32 needs 24.0 GiB for A, B and C, more than the Java heap's"})
    void gemmSizesAreCheckedBeforeAnyWork(String sizes, String message) {
        InfoCommandTest.Run r = InfoCommandTest.ember("bench", "gemm", "--backend", "cpu", "--threads", "1",
                "--sizes", sizes);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).hasLineCount(1).startsWith("bench gemm: ").contains(message)
                .doesNotContain("GFLOPS");
    }

    @Test
    void tf32IsRefusedOnABackendWithNoVendorGemm() {
        InfoCommandTest.Run r = InfoCommandTest.ember("bench", "gemm", "--backend", "cpu", "--threads", "1",
                "--sizes", "64", "--tf32");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).hasLineCount(1).startsWith("bench gemm: --tf32 compares a GPU backend's GEMM with its"
                + " vendor library's (cuda), not the 'cpu' backend's").doesNotContain("machine:");
    }

    @Test
    void threadCountsAreChecked() {
        InfoCommandTest.Run gemm = InfoCommandTest.ember("bench", "gemm", "--backend", "cpu", "--threads", "100000");
        assertThat(gemm.exitCode()).isEqualTo(2);
        assertThat(gemm.err()).hasLineCount(1).contains("thread counts must be in [1, 1024], got 100000");
        InfoCommandTest.Run train = InfoCommandTest.ember("bench", "train", "--backend", "cpu", "--threads", "0");
        assertThat(train.exitCode()).isEqualTo(2);
        assertThat(train.err()).hasLineCount(1).contains("thread counts must be in [1, 1024], got 0");
    }
}
