package org.openess.gateway.decode;

import org.openess.gateway.plan.RequestPlan;

/**
 * What one cycle read from a device: per read of the plan either its words (registers as
 * 0..65535, or bits as 0/1) or the reason it failed. Filled by acquisition, consumed by decoding.
 */
public final class RegisterSnapshot {
    private final int[][] words;
    private final String[] failures;

    public RegisterSnapshot(RequestPlan plan) {
        this.words = new int[plan.reads().size()][];
        this.failures = new String[plan.reads().size()];
    }

    public void succeeded(int read, int[] values) {
        words[read] = values;
        failures[read] = null;
    }

    public void failed(int read, String reason) {
        words[read] = null;
        failures[read] = reason;
    }

    public boolean ok(int read) {
        return words[read] != null;
    }

    public int[] words(int read) {
        return words[read];
    }

    public String failure(int read) {
        return failures[read] != null ? failures[read] : words[read] == null ? "not read" : null;
    }

    public int size() {
        return words.length;
    }

    public int failedCount() {
        int n = 0;
        for (int[] w : words) {
            if (w == null) {
                n++;
            }
        }
        return n;
    }
}
