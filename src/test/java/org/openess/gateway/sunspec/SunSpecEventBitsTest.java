package org.openess.gateway.sunspec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openess.gateway.sunspec.SunSpecEventBits.EventBit;
import org.openess.gateway.testsupport.UnitTest;

/** The battery model's event bits → alarm rules, from the model file's symbols (built-in and models-dir). */
@UnitTest
class SunSpecEventBitsTest {

    @Test
    void everyNamedBitOfTheBuiltInBatteryEvt1IsARule() {
        List<EventBit> bits = SunSpecEventBits.of(SunSpecModels.builtin());
        assertEquals(29, bits.size(), "802 Evt1 names bits 0..29; RESERVED_1 (bit 27) is no rule: " + bits);
        assertTrue(bits.stream().allMatch(b -> b.table().equals("sunspec_battery") && b.column().equals("Evt1")), bits.toString());
        assertEquals(new EventBit("sunspec_battery", "Evt1", 0, "COMMUNICATION_ERROR", "fault"), bits.get(0));
        assertEquals(new EventBit("sunspec_battery", "Evt1", 1, "OVER_TEMP_ALARM", "fault"), bits.get(1));
        assertEquals(new EventBit("sunspec_battery", "Evt1", 2, "OVER_TEMP_WARNING", "warning"), bits.get(2));
        assertEquals(new EventBit("sunspec_battery", "Evt1", 22, "GROUND_FAULT", "fault"), bits.get(22));
        assertEquals(new EventBit("sunspec_battery", "Evt1", 29, "CONFIGURATION_WARNING", "warning"), bits.get(28));
        assertTrue(bits.stream().noneMatch(b -> b.symbol().startsWith("RESERVED")));
        assertEquals(13, bits.stream().filter(b -> b.level().equals("warning")).count());
    }

    @Test
    void aBatteryModelFromTheModelsDirGivesItsOwnBitsIncludingEvt2(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("model_802.json"), battery("""
                {"name": "Evt1", "type": "bitfield32", "size": 2, "symbols": [{"name": "HOT_ALM", "value": 3}, {"name": "WARM_WRN", "value": 4}]},
                {"name": "Evt2", "type": "bitfield32", "size": 2, "symbols": [{"name": "DOOR_OPEN", "value": 31}]}"""));
        assertEquals(List.of(new EventBit("sunspec_battery", "Evt1", 3, "HOT_ALM", "fault"),
                new EventBit("sunspec_battery", "Evt1", 4, "WARM_WRN", "warning"),
                new EventBit("sunspec_battery", "Evt2", 31, "DOOR_OPEN", "fault")), SunSpecEventBits.of(SunSpecModels.load(dir)));
    }

    @Test
    void aSymbolOutsideItsBitfieldIsRejectedNamingFilePointAndSymbol(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("model_802.json");
        Files.writeString(f, battery("""
                {"name": "Evt1", "type": "bitfield32", "size": 2, "symbols": [{"name": "TOO_FAR", "value": 32}]}"""));
        SunSpecModels models = SunSpecModels.load(dir);
        assertEquals(List.of(new RejectedModel(f.toString(), 802, "model 802 group 'battery' point 'Evt1' symbol 'TOO_FAR'",
                "a bitfield32 symbol's value must be a bit number 0..31, got 32")), models.rejected());
        // the battery model is then unknown, so it gives no alarm rules (its devices skip it)
        assertEquals(List.of(), SunSpecEventBits.of(models));
    }

    private static String battery(String events) {
        return """
                {"id": 802, "group": {"name": "battery", "type": "group", "points": [
                  {"name": "ID", "type": "uint16", "size": 1, "value": 802},
                  {"name": "L", "type": "uint16", "size": 1},
                  %s
                ]}}""".formatted(events);
    }
}
