package org.openess.gateway.profile;

/**
 * The names of the columns every stored row has besides its profile's: the schema manager
 * creates them, the writer fills them, the archive finds tables by them.
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

    private StoredColumns() {
    }
}
