package dev.forwardauth.reload;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The messages logged under a logger name while open, as the operator reads them. The webapp logs through
 * SLF4J to java.util.logging in the tests (slf4j-jdk14), which hands over the message already formatted.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger; // held: java.util.logging keeps loggers only weakly
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    public static LogCapture of(String loggerName) {
        return new LogCapture(Logger.getLogger(loggerName));
    }

    public List<String> messages() {
        return records.stream().map(LogRecord::getMessage).toList();
    }

    /** Messages at {@code level} (SEVERE for SLF4J's error, WARNING for warn, INFO for info). */
    public List<String> messages(Level level) {
        return records.stream().filter(record -> record.getLevel().equals(level)).map(LogRecord::getMessage)
                .toList();
    }

    public void clear() {
        records.clear();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
