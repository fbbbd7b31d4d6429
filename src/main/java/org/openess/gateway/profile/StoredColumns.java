package org.openess.gateway.profile;

/**
 * The names of the gateway's own tables and of the columns every stored row has besides its
 * profile's: the schema manager creates them, the writer and the buffers count by them, the
 * archive finds tables by them.
 */
public final class StoredColumns {
    /** The tick's time in every profile table (timestamptz); quoted in SQL, it is upper case. */
    public static final String TIMESTAMP = "TIMESTAMP";
    /** The device id in every profile table (text). */
    public static final String SITE_ID = "SITE_ID";
    /** The tick's time in the gateway's own tables, ess_quality and ess_gaps. */
    public static final String EVENT_TIME = "ts";
    /** The device id in ess_quality and ess_gaps. */
    public static final String EVENT_SITE_ID = "site_id";

    /** Values a device's range or type check rejected. */
    public static final String QUALITY_TABLE = "ess_quality";
    /** Rows that are missing, and why. */
    public static final String GAPS_TABLE = "ess_gaps";
    /** Protection-map alarms: one row per alarm, from its start to its end. */
    public static final String ALARMS_TABLE = "ess_alarms";
    /** When an alarm started (timestamptz): the alarms table's time column and the archive's day. */
    public static final String ALARM_START = "started_at";
    /** The device id in the alarms table. */
    public static final String ALARM_DEVICE = "site_id";

    private StoredColumns() {
    }

    /** The gateway's own record tables (quality, gap and alarm records), as against the device tables. */
    public static boolean isEventTable(String table) {
        return table.equals(QUALITY_TABLE) || table.equals(GAPS_TABLE) || table.equals(ALARMS_TABLE);
    }
}
