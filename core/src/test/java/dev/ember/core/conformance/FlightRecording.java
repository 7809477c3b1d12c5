package dev.ember.core.conformance;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Records named JFR events while a test body runs and reads back those the calling thread emitted. */
public final class FlightRecording {
    private FlightRecording() {
    }

    /** The events named {@code eventNames} that {@code body} emitted on this thread, in order. */
    public static List<RecordedEvent> capture(Runnable body, String... eventNames) {
        try {
            Path file = Files.createTempFile("ember-test", ".jfr");
            try (Recording recording = new Recording()) {
                for (String name : eventNames) {
                    recording.enable(name);
                }
                recording.start();
                body.run();
                recording.stop();
                recording.dump(file);
                long thread = Thread.currentThread().threadId();
                return RecordingFile.readAllEvents(file).stream()
                        .filter(e -> e.getThread() != null && e.getThread().getJavaThreadId() == thread)
                        .sorted((a, b) -> a.getStartTime().compareTo(b.getStartTime()))
                        .toList();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events of type {@code name} among {@code events}. */
    public static List<RecordedEvent> ofType(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }
}
