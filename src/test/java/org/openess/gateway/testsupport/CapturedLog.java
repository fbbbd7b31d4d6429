package org.openess.gateway.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Every log message of this JVM while open (formatted, with the throwable's messages), for assertions on what is logged. */
public final class CapturedLog extends Handler implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    public static CapturedLog start() {
        CapturedLog log = new CapturedLog();
        Logger.getLogger("").addHandler(log);
        return log;
    }

    @Override
    public void publish(LogRecord r) {
        String message = r.getMessage();
        Object[] params = r.getParameters();
        try {
            if (params != null && params.length > 0 && message != null) {
                message = message.contains("%") ? String.format(message, params) : java.text.MessageFormat.format(message, params);
            }
        } catch (RuntimeException e) {
            message = message + " " + java.util.Arrays.toString(params);
        }
        StringBuilder line = new StringBuilder(r.getLevel() + " " + r.getLoggerName() + " " + message);
        for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
            line.append(" | ").append(t);
        }
        lines.add(line.toString());
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    public String all() {
        return String.join("\n", lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
