package org.openess.gateway.decode;

import org.openess.gateway.profile.SqlType;
import org.openess.gateway.profile.TableLayout;

/**
 * One row for one table at one tick. Values are stored by column index as raw 64-bit cells
 * (float8 as IEEE bits, integers and bools as longs) so a row is two small arrays, not boxes.
 * Text columns (SunSpec strings and addresses only) keep their value in a third array, allocated
 * only for layouts that have text columns; their long cell is unused.
 */
public final class DecodedRow {
    private final TableLayout layout;
    private final String device;
    private final long tickMillis;
    private final long[] cells;
    private final long[] nulls;
    private final String[] texts;

    public DecodedRow(TableLayout layout, String device, long tickMillis) {
        this.layout = layout;
        this.device = device;
        this.tickMillis = tickMillis;
        this.cells = new long[layout.width()];
        this.nulls = new long[(layout.width() + 63) >>> 6];
        this.texts = layout.hasText() ? new String[layout.width()] : null;
    }

    /**
     * Copies this row's values into {@code target}, a row of the same layout: views that keep the
     * latest values copy them into rows they allocated once, instead of keeping every cycle's rows
     * alive for a second (which tenures them and costs full collections at 1,000 devices).
     */
    public void copyValuesTo(DecodedRow target) {
        if (target.layout != layout) {
            throw new IllegalArgumentException("copy of a " + layout.table() + " row into a " + target.layout.table() + " row");
        }
        System.arraycopy(cells, 0, target.cells, 0, cells.length);
        System.arraycopy(nulls, 0, target.nulls, 0, nulls.length);
        if (texts != null) {
            System.arraycopy(texts, 0, target.texts, 0, texts.length);
        }
    }

    public TableLayout layout() {
        return layout;
    }

    public String device() {
        return device;
    }

    public long tickMillis() {
        return tickMillis;
    }

    public boolean isNull(int column) {
        return (nulls[column >>> 6] & (1L << column)) != 0;
    }

    public void setNull(int column) {
        nulls[column >>> 6] |= 1L << column;
    }

    public void setLong(int column, long value) {
        cells[column] = value;
    }

    public void setDouble(int column, double value) {
        cells[column] = Double.doubleToRawLongBits(value);
    }

    /** Sets a text column (the layout must have declared it {@code text}). */
    public void setText(int column, String value) {
        texts[column] = value;
    }

    public String getText(int column) {
        return texts == null ? null : texts[column];
    }

    public long getLong(int column) {
        return cells[column];
    }

    public double getDouble(int column) {
        return Double.longBitsToDouble(cells[column]);
    }

    /** The value as a Java object of the column's type, or null. For tests, logs and the API. */
    public Object value(int column) {
        if (isNull(column)) {
            return null;
        }
        SqlType type = layout.columns().get(column).type();
        return switch (type) {
            case FLOAT8 -> getDouble(column);
            case INT4 -> (int) getLong(column);
            case INT8 -> getLong(column);
            case BOOL -> getLong(column) != 0;
            case TEXT -> getText(column);
        };
    }

    public Object value(String column) {
        for (int i = 0; i < layout.width(); i++) {
            if (layout.columns().get(i).name().equals(column)) {
                return value(i);
            }
        }
        throw new IllegalArgumentException("no column " + column + " in " + layout.table());
    }
}
