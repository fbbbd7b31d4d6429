package org.openess.gateway.sunspec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.openess.gateway.profile.PointType;
import org.openess.gateway.profile.SqlType;

/**
 * The SunSpec point types: how many registers each takes, how the gateway decodes and stores it,
 * and the raw value that means "not implemented" (SunSpec Modbus specification; null: none).
 */
public enum SunSpecType {
    INT16(1, PointType.INT16, SqlType.INT4, 0x8000L),
    UINT16(1, PointType.UINT16, SqlType.INT4, 0xFFFFL),
    COUNT(1, PointType.UINT16, SqlType.INT4, null),
    ACC16(1, PointType.UINT16, SqlType.INT4, 0L),
    ENUM16(1, PointType.UINT16, SqlType.INT4, 0xFFFFL),
    BITFIELD16(1, PointType.UINT16, SqlType.INT4, 0xFFFFL),
    SUNSSF(1, PointType.INT16, SqlType.INT4, 0x8000L),
    PAD(1, null, null, null),
    INT32(2, PointType.INT32, SqlType.INT4, 0x8000_0000L),
    UINT32(2, PointType.UINT32, SqlType.INT8, 0xFFFF_FFFFL),
    ACC32(2, PointType.UINT32, SqlType.INT8, 0L),
    ENUM32(2, PointType.UINT32, SqlType.INT8, 0xFFFF_FFFFL),
    BITFIELD32(2, PointType.UINT32, SqlType.INT8, 0xFFFF_FFFFL),
    FLOAT32(2, PointType.FLOAT32, SqlType.FLOAT8, 0x7FC0_0000L),
    IPADDR(2, PointType.IPV4, SqlType.TEXT, 0L),
    INT64(4, PointType.INT64, SqlType.INT8, Long.MIN_VALUE),
    UINT64(4, PointType.UINT64, SqlType.FLOAT8, -1L),
    ACC64(4, PointType.INT64, SqlType.INT8, 0L),
    FLOAT64(4, PointType.FLOAT64, SqlType.FLOAT8, 0x7FF8_0000_0000_0000L),
    EUI48(4, PointType.EUI48, SqlType.TEXT, -1L),
    IPV6ADDR(8, PointType.IPV6, SqlType.TEXT, null),
    /** {@code size} registers; all NULs is "not implemented". */
    STRING(0, PointType.STRING, SqlType.TEXT, null);

    private final int registers;
    private final PointType pointType;
    private final SqlType sqlType;
    private final Long absent;

    SunSpecType(int registers, PointType pointType, SqlType sqlType, Long absent) {
        this.registers = registers;
        this.pointType = pointType;
        this.sqlType = sqlType;
        this.absent = absent;
    }

    /** Fixed size in registers; 0 for strings (their size is declared per point). */
    public int registers() {
        return registers;
    }

    public PointType pointType() {
        return pointType;
    }

    /** Column type when the point has no scale factor (scaled points are float8). */
    public SqlType sqlType() {
        return sqlType;
    }

    /** Raw bits meaning "not implemented"; for floats any NaN counts. */
    public Long absent() {
        return absent;
    }

    /** Types whose values can be multiplied by a scale factor. */
    public boolean isScalable() {
        return pointType != null && pointType.isNumeric() && this != SUNSSF && this != COUNT;
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SunSpecType parse(String text) {
        for (SunSpecType t : values()) {
            if (t.jsonName().equals(text)) {
                return t;
            }
        }
        return null;
    }

    public static String names() {
        return Arrays.stream(values()).map(SunSpecType::jsonName).collect(Collectors.joining(", "));
    }
}
