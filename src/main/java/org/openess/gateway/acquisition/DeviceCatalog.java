package org.openess.gateway.acquisition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.openess.gateway.config.EssConfig;
import org.openess.gateway.decode.CycleDecoder;
import org.openess.gateway.plan.PlanLimits;
import org.openess.gateway.plan.RequestPlanner;
import org.openess.gateway.profile.Profile;
import org.openess.gateway.profile.ProfileException;
import org.openess.gateway.profile.ProfileLoader;
import org.openess.gateway.profile.TableLayout;
import org.openess.gateway.profile.TableSpec;
import org.openess.gateway.sunspec.SunSpecSupport;

/**
 * The configured devices, checked and compiled: each profile is loaded once and its table
 * layouts are shared by every device that uses it, so the writer batches their rows together.
 * A mistake in a profile or a device id stops start-up with a message naming the key (the other
 * {@code ess.devices.*} values are validated with the configuration, see {@link EssConfig.Device}).
 */
public final class DeviceCatalog {
    /** The {@code profile} value that asks for SunSpec discovery instead of a register map. */
    public static final String SUNSPEC = "sunspec";
    /** A SunSpec device's profile until its chain has been read: no areas, no tables. */
    private static final Profile UNDISCOVERED = new Profile(SUNSPEC, "sunspec (not yet discovered)", List.of(), List.of());

    private final List<DeviceDefinition> devices;
    private final List<TableLayout> layouts;

    private DeviceCatalog(List<DeviceDefinition> devices, List<TableLayout> layouts) {
        this.devices = List.copyOf(devices);
        this.layouts = List.copyOf(layouts);
    }

    public List<DeviceDefinition> devices() {
        return devices;
    }

    /** Every table layout of every profile in use (one per profile and table). */
    public List<TableLayout> layouts() {
        return layouts;
    }

    public static DeviceCatalog fromConfig(Map<String, EssConfig.Device> configured) {
        return fromConfig(configured, SunSpecSupport::builtin);
    }

    /** As {@link #fromConfig(Map, Supplier)} with the SunSpec support already made. */
    public static DeviceCatalog fromConfig(Map<String, EssConfig.Device> configured, SunSpecSupport sunspec) {
        return fromConfig(configured, () -> sunspec);
    }

    /**
     * As {@link #fromConfig(Map)}; devices with {@code profile: sunspec} get their layout from
     * discovery with the models {@code sunspecSupport} makes. It is asked only when a SunSpec device
     * is configured: the models (hundreds of point definitions) are not read for a site without one.
     */
    public static DeviceCatalog fromConfig(Map<String, EssConfig.Device> configured, Supplier<SunSpecSupport> sunspecSupport) {
        SunSpecSupport sunspec = null;
        Map<String, Profile> profiles = new HashMap<>();
        Map<String, Map<String, TableLayout>> layoutsByProfile = new LinkedHashMap<>();
        Map<DecoderKey, CycleDecoder> decoders = new HashMap<>();
        List<DeviceDefinition> devices = new ArrayList<>();
        DeviceLines lines = new DeviceLines();
        for (Map.Entry<String, EssConfig.Device> e : new TreeMap<>(configured).entrySet()) {
            String id = e.getKey();
            EssConfig.Device d = e.getValue();
            if (!d.enabled()) {
                continue;
            }
            // host, port, unit id, intervals and plan limits are checked by the constraints on
            // EssConfig.Device when the configuration loads; the id is a map key, so it is checked here
            String key = "ess.devices.\"" + id + "\".";
            if (id.isBlank() || id.length() > 64) {
                throw new IllegalArgumentException(key + ": the device id (stored as SITE_ID) must be 1..64 characters");
            }
            DeviceLines.Line line = lines.check(id, d);
            PlanLimits limits = new PlanLimits(d.maxRegisters(), PlanLimits.MODBUS_MAX_BITS, d.maxGap());
            if (SUNSPEC.equals(d.profile())) {
                if (sunspec == null) {
                    sunspec = sunspecSupport.get();
                }
                devices.add(new DeviceDefinition(id, line.host(), d.port(), d.unitId(), d.pollInterval(), d.timeout(), d.requestGap(),
                        d.connectDelay(), UNDISCOVERED,
                        new CycleDecoder(UNDISCOVERED, RequestPlanner.plan(UNDISCOVERED, limits), Map.of()),
                        new DeviceDefinition.SunSpec(sunspec, limits), line.transport(), line.serial()));
                continue;
            }
            Profile profile;
            try {
                profile = profiles.computeIfAbsent(d.profile(), ProfileLoader::load);
            } catch (ProfileException ex) {
                throw new ProfileException("device '" + id + "' (" + key + "profile): " + ex.getMessage(), ex);
            }
            Map<String, TableLayout> layouts = layoutsByProfile.computeIfAbsent(profile.source(),
                    s -> CycleDecoder.layoutsOf(profile));
            // devices of one profile and limits share one plan and one compiled decoder (immutable,
            // thread-safe): compiled per device they cost ~100 KB each, 100 MB of heap at 1,000 devices
            CycleDecoder decoder = decoders.computeIfAbsent(new DecoderKey(profile.source(), limits),
                    k -> new CycleDecoder(profile, RequestPlanner.plan(profile, limits), layouts));
            devices.add(new DeviceDefinition(id, line.host(), d.port(), d.unitId(), d.pollInterval(), d.timeout(), d.requestGap(),
                    d.connectDelay(), profile, decoder, null, line.transport(), line.serial()));
        }
        List<TableLayout> all = new ArrayList<>();
        layoutsByProfile.values().forEach(m -> all.addAll(m.values()));
        checkTablesAgree(all);
        return new DeviceCatalog(devices, all);
    }

    /** Two profiles may share a table name only if shared columns have the same type and key. */
    private static void checkTablesAgree(List<TableLayout> layouts) {
        Map<String, TableLayout> first = new HashMap<>();
        for (TableLayout layout : layouts) {
            TableLayout other = first.putIfAbsent(layout.table(), layout);
            if (other == null) {
                continue;
            }
            if (!other.keyColumns().equals(layout.keyColumns())) {
                throw new ProfileException("table '" + layout.table() + "' has key " + layout.keyColumns() + " in " + layout.profile()
                        + " but " + other.keyColumns() + " in " + other.profile());
            }
            for (TableLayout.Column c : layout.columns()) {
                for (TableLayout.Column o : other.columns()) {
                    if (c.name().equals(o.name()) && c.type() != o.type()) {
                        throw new ProfileException("table '" + layout.table() + "' column \"" + c.name() + "\" is " + c.type().sql()
                                + " in " + layout.profile() + " but " + o.type().sql() + " in " + other.profile());
                    }
                }
            }
        }
    }

    /** Devices with the same profile and plan limits share one compiled decoder. */
    private record DecoderKey(String profileSource, PlanLimits limits) {
    }

    /** Rows one cycle of every device yields (for sizing and the status page). */
    public int rowsPerSecond() {
        double rows = 0;
        for (DeviceDefinition d : devices) {
            rows += d.profile().tables().stream().mapToInt(TableSpec::rowsPerCycle).sum() * 1000.0 / d.pollInterval().toMillis();
        }
        return (int) Math.ceil(rows);
    }
}
