package org.openess.gateway.logging;

import java.util.Map;
import java.util.TreeMap;

import org.jboss.logging.Logger;
import org.jboss.logging.Logger.Level;

/**
 * A logger for events that can come by the thousand (connection problems, alarms): each line
 * goes out while its {@link LineBudget} allows, the rest are counted by cause and summarised in
 * one line by {@link #flush()}, which the owner calls once per interval (a timer). Thread-safe.
 */
public final class BudgetedLog {
    private final Logger log;
    private final LineBudget budget;
    private final String what;
    private final String seeAlso;
    private final Map<String, Long> refused = new TreeMap<>();

    /**
     * @param what the events, plural, for the summary ("connection problems")
     * @param seeAlso where the whole story is ("/api/status"), named at the end of the summary
     */
    public BudgetedLog(Logger log, LineBudget budget, String what, String seeAlso) {
        this.log = log;
        this.budget = budget;
        this.what = what;
        this.seeAlso = seeAlso;
    }

    /** Writes {@code message} at {@code level} if the budget allows, else counts it under {@code cause}. */
    public void log(Level level, String cause, String message) {
        if (budget.tryLine()) {
            log.log(level, message);
        } else {
            synchronized (refused) {
                refused.merge(cause, 1L, Long::sum);
            }
        }
    }

    public void warn(String cause, String message) {
        log(Level.WARN, cause, message);
    }

    public void info(String cause, String message) {
        log(Level.INFO, cause, message);
    }

    /** Writes the summary of what was refused since the last flush (nothing when nothing was); returns it, or null. */
    public String flush() {
        Map<String, Long> counts;
        synchronized (refused) {
            if (refused.isEmpty()) {
                return null;
            }
            counts = new TreeMap<>(refused);
            refused.clear();
        }
        String line = summary(counts, what, LineBudget.describe(budget.interval()), seeAlso);
        log.warn(line);
        return line;
    }

    /** "37 more connection problems in the last 10 s: 30 timeouts, 7 refused; see /api/status". */
    public static String summary(Map<String, Long> countsByCause, String what, String interval, String seeAlso) {
        long total = 0;
        StringBuilder causes = new StringBuilder();
        for (Map.Entry<String, Long> e : countsByCause.entrySet()) {
            total += e.getValue();
            causes.append(causes.length() == 0 ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey());
        }
        return total + " more " + what + " in the last " + interval + " (not logged one by one): " + causes + "; see " + seeAlso;
    }
}
