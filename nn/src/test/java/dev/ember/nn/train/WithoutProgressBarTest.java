package dev.ember.nn.train;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ember-nn declares the console progress bar (me.tongfei:progressbar) and its terminal library JLine
 * optional: {@code fit} must work without them. This test loads nn, core and the CPU backend again
 * from the test class path minus those jars, in a class loader of their own, and trains there.
 */
class WithoutProgressBarTest {

    @Test
    public void fitRunsWithoutTheProgressBarOnTheClassPath() throws Exception {
        List<URL> urls = new ArrayList<>();
        int left = 0;
        // Surefire passes the test class path in this property (java.class.path may be its booter jar).
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : classPath.split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("progressbar-") || name.startsWith("jline")) {
                left++;
                continue;
            }
            urls.add(Path.of(entry).toUri().toURL());
        }
        assertThat(left).as("progress bar and JLine jars on the test class path").isGreaterThanOrEqualTo(2);

        Thread thread = Thread.currentThread();
        ClassLoader saved = thread.getContextClassLoader();
        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(isolated);   // ServiceLoader finds the backends through it
            Class<?> probe = isolated.loadClass(NoProgressBarProbe.class.getName());
            assertThat(probe).isNotSameAs(NoProgressBarProbe.class);
            @SuppressWarnings("unchecked")
            Supplier<String> run = (Supplier<String>) probe.getConstructor().newInstance();
            assertThat(run.get()).isEqualTo("no progress bar; LineProgress; epoch 1/1: loss=0.5000; fit 3 epochs");
        } finally {
            thread.setContextClassLoader(saved);
        }
    }
}
