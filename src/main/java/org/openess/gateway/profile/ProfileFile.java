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
        ProfileFile.TableEntry.class, ProfileFile.GroupEntry.class, ProfileFile.PointEntry.class })
public class ProfileFile {
    public String name;
    public String description;
    public Defaults defaults;
    public List<AreaEntry> areas;
    public List<TableEntry> tables;

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
    }
}
