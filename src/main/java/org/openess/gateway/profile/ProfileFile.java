package org.openess.gateway.profile;

import java.util.LinkedHashMap;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The YAML/JSON document as written. Enumerations stay strings here so that
 * {@link ProfileValidator} can say which entry holds an unknown value and what is allowed.
 */
@RegisterForReflection(targets = { ProfileFile.class, ProfileFile.Defaults.class, ProfileFile.AreaEntry.class,
        ProfileFile.TableEntry.class, ProfileFile.GroupEntry.class, ProfileFile.PointEntry.class, ProfileFile.ProtectionEntry.class,
        ProfileFile.LimitEntry.class, ProfileFile.FlagEntry.class, ProfileFile.OverviewEntry.class })
public class ProfileFile {
    public String name;
    public String description;
    public Defaults defaults;
    public List<AreaEntry> areas;
    public List<TableEntry> tables;
    /** Protection-map alarm rules; absent: the OpenESS defaults on the columns the profile has. */
    public ProtectionEntry protection;
    /** Which columns the status page charts; absent: operation1's bank columns where present. */
    public OverviewEntry overview;

    public static class Defaults {
        @JsonProperty("word-order")
        public String wordOrder;
        @JsonProperty("byte-order")
        public String byteOrder;
    }

    public static class AreaEntry {
        public String name;
        public String function;
        public Integer start;
        public Integer count;
    }

    public static class TableEntry {
        public String name;
        public LinkedHashMap<String, Integer> constants;
        public GroupEntry group;
        public List<PointEntry> points;
    }

    public static class GroupEntry {
        public String column;
        public Integer count;
        public Integer first;
        public Integer stride;
    }

    public static class PointEntry {
        public String column;
        public String area;
        public Integer address;
        public Integer stride;
        public String type;
        public Integer bit;
        @JsonProperty("word-order")
        public String wordOrder;
        @JsonProperty("byte-order")
        public String byteOrder;
        public Double scale;
        public Double offset;
        public Double min;
        public Double max;
        public Boolean invert;
        @JsonProperty("sql-type")
        public String sqlType;
        /** Engineering unit shown by the API and the status page (V, A, %, °C ...); optional. */
        public String unit;
    }

    public static class ProtectionEntry {
        /** openess (default) or none: whether the built-in OpenESS protection map applies. */
        public String defaults;
        /** Seconds a limit must stay exceeded before an alarm starts. */
        @JsonProperty("on-delay")
        public Double onDelay;
        /** Seconds a value must stay back inside (limit minus deadband) before the alarm ends. */
        @JsonProperty("off-delay")
        public Double offDelay;
        public List<LimitEntry> limits;
        public List<FlagEntry> flags;
    }

    public static class LimitEntry {
        public String code;
        public String table;
        public String column;
        /** above, below or magnitude-above (|value| above the limit). */
        public String when;
        public Double warning;
        public Double fault;
        public Double deadband;
        /** false drops a default rule of this code. */
        public Boolean enabled;
    }

    public static class FlagEntry {
        public String code;
        public String table;
        public String column;
        /** warning or fault. */
        public String level;
        public Boolean enabled;
    }

    public static class OverviewEntry {
        public String table;
        public String soc;
        @JsonProperty("dc-voltage")
        public String dcVoltage;
        @JsonProperty("dc-current")
        public String dcCurrent;
        public String power;
        @JsonProperty("max-cell-temperature")
        public String maxCellTemperature;
        @JsonProperty("min-cell-temperature")
        public String minCellTemperature;
    }
}
