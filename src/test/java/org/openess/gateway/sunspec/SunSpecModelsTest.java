package org.openess.gateway.sunspec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openess.gateway.testsupport.UnitTest;

/**
 * Model files are validated like profiles: a mistake names the file, the group and the point. A
 * broken file of the models folder is rejected (reported once), never fatal: its model is then
 * unknown and the other files load.
 */
@UnitTest
class SunSpecModelsTest {

    private static final String HEAD = "{\"id\": 64200, \"group\": {\"name\": \"m\", \"points\": ["
            + "{\"name\": \"ID\", \"type\": \"uint16\", \"size\": 1, \"value\": 64200}, {\"name\": \"L\", \"type\": \"uint16\", \"size\": 1}";

    @Test
    void builtInModelsLoadWithTheirShapes() {
        SunSpecModels models = SunSpecModels.builtin();
        assertEquals(SunSpecModels.BUILTIN, models.all().keySet().stream().toList());
        SunSpecModel bank = models.get(803);
        assertEquals("lithium_ion_bank", bank.name());
        assertEquals("NStr", bank.group().groups().get(0).countPoint());
        assertEquals(32, bank.group().groups().get(0).pointRegisters());
        assertTrue(models.get(805).group().groups().get(0).fillsModel());
        assertEquals("sunspec_battery", SunSpecProfiles.tableName(models.get(802)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown type | , {\"name\": \"X\", \"type\": \"int24\", \"size\": 1}]}} | model 64200 group 'm' point 'X': unknown type 'int24'",
        "size does not match type | , {\"name\": \"X\", \"type\": \"int32\", \"size\": 1}]}} | point 'X': size 1 does not match type int32 (2 register(s))",
        "string without size | , {\"name\": \"X\", \"type\": \"string\"}]}} | point 'X': a string needs \"size\"",
        "sf names no point | , {\"name\": \"X\", \"type\": \"int16\", \"size\": 1, \"sf\": \"Nope_SF\"}]}} | point 'X': sf 'Nope_SF' names no sunssf point",
        "sf on a string | , {\"name\": \"X\", \"type\": \"string\", \"size\": 2, \"sf\": 1}]}} | point 'X': a string point cannot have a scale factor",
        "constant sf out of range | , {\"name\": \"X\", \"type\": \"int16\", \"size\": 1, \"sf\": 11}]}} | point 'X': constant sf must be -10..10",
        "point given twice | , {\"name\": \"X\", \"type\": \"int16\"}, {\"name\": \"X\", \"type\": \"int16\"}]}} | point 'X': point name given twice",
        "count names no point | , {\"name\": \"N\", \"type\": \"uint16\"}], \"groups\": [{\"name\": \"g\", \"count\": \"NX\", \"points\": [{\"name\": \"V\", \"type\": \"int16\"}]}]}} | group 'm' group 'g': count 'NX' names no point",
        "fill group not last | , {\"name\": \"N\", \"type\": \"uint16\"}], \"groups\": [{\"name\": \"g\", \"count\": 0, \"points\": [{\"name\": \"V\", \"type\": \"int16\"}]}, {\"name\": \"h\", \"points\": [{\"name\": \"W\", \"type\": \"int16\"}]}]}} | group 'g': count 0 (fill the model) is allowed only for the last group",
        "bad point name | , {\"name\": \"1X\", \"type\": \"int16\"}]}} | point: \"name\" must be an identifier",
    })
    void brokenModelsAreRejectedNamingFileAndPoint(String what, String tail, String expected, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("model_64200.json");
        Files.writeString(file, HEAD + tail, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("model_713.json"), VALID_713, StandardCharsets.UTF_8);
        SunSpecModels models = SunSpecModels.load(dir);
        assertEquals(1, models.rejected().size(), what);
        RejectedModel r = models.rejected().get(0);
        assertEquals(file.toString(), r.file());
        assertEquals(64200, r.id());
        String message = r.describe();
        assertTrue(message.startsWith(file.toString() + ": "), message);
        assertTrue(message.contains(expected), () -> "message lacks \"" + expected + "\":\n  " + message);
        assertEquals(null, models.get(64200), "a rejected model is unknown");
        assertEquals("storage_capacity_v2", models.get(713).name(), "the other files of the folder load");
        assertEquals(r, models.rejection(64200));
    }

    private static final String VALID_713 = "{\"id\": 713, \"group\": {\"name\": \"storage_capacity_v2\", \"points\": ["
            + "{\"name\": \"ID\", \"type\": \"uint16\", \"value\": 713}, {\"name\": \"L\", \"type\": \"uint16\"}, "
            + "{\"name\": \"WHRtg\", \"type\": \"uint32\", \"size\": 2}]}}";

    @Test
    void upstreamSchemaDefaultsAndFreeSymbolNames(@TempDir Path dir) throws Exception {
        // count defaults to 1, symbols are any string, a string may be longer than one read, groups nest three deep
        Files.writeString(dir.resolve("model_64200.json"), HEAD + ", {\"name\": \"Act\", \"type\": \"bitfield32\", \"symbols\": ["
                + "{\"name\": \"Volt-VAr\", \"value\": 0}, {\"name\": \"%WMax\", \"value\": 1}]}, {\"name\": \"NPt\", \"type\": \"uint16\"}, "
                + "{\"name\": \"Har\", \"type\": \"string\", \"size\": 150}], \"groups\": [{\"name\": \"Crv\", \"count\": 2, \"points\": ["
                + "{\"name\": \"R\", \"type\": \"uint16\"}], \"groups\": [{\"name\": \"MustTrip\", \"points\": [{\"name\": \"ActPt\", "
                + "\"type\": \"uint16\"}], \"groups\": [{\"name\": \"Pt\", \"count\": \"NPt\", \"points\": [{\"name\": \"V\", "
                + "\"type\": \"uint16\"}]}]}]}]}}");
        SunSpecModels models = SunSpecModels.load(dir);
        assertEquals(List.of(), models.rejected());
        SunSpecModel m = models.get(64200);
        assertEquals(Map.of(0, "Volt-VAr", 1, "%WMax"), m.group().point("Act").bits());
        assertEquals(150, m.group().point("Har").size());
        SunSpecModel.Group mustTrip = m.group().groups().get(0).groups().get(0);
        assertEquals(1, mustTrip.countConstant());
        assertEquals("NPt", mustTrip.groups().get(0).countPoint());
    }

    @Test
    void headerMustComeFirstAndIdMustMatch(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model_64201.json");
        Files.writeString(file, "{\"id\": 64201, \"group\": {\"name\": \"m\", \"points\": [{\"name\": \"L\", \"type\": \"uint16\"}, "
                + "{\"name\": \"ID\", \"type\": \"uint16\"}]}}");
        assertTrue(rejection(dir).contains("model 64201 group 'm': the first two points must be ID and L"));
        Files.writeString(file, "{\"id\": 64201, \"group\": {\"name\": \"m\", \"points\": [{\"name\": \"ID\", \"type\": \"uint16\", "
                + "\"value\": 5}, {\"name\": \"L\", \"type\": \"uint16\"}]}}");
        assertTrue(rejection(dir).contains("point 'ID': value 5 differs from the model id 64201"));
        Files.writeString(file, "{\"id\": 64201, \"group\": ");
        String syntax = rejection(dir);
        assertTrue(syntax.startsWith(file + ": line 1: not valid JSON"), syntax);
        // a broken copy of a built-in model hides the built-in one too: the user meant to replace it
        Files.writeString(dir.resolve("model_802.json"), "{");
        SunSpecModels models = SunSpecModels.load(dir);
        assertEquals(null, models.get(802));
        assertEquals(2, models.rejected().size());
    }

    @Test
    void twoFilesWithOneModelIdAreBothLeftOut(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("model_713.json"), VALID_713);
        Files.writeString(dir.resolve("model_7130.json"), VALID_713);
        SunSpecModels models = SunSpecModels.load(dir);
        assertEquals(null, models.get(713), "neither definition is used");
        assertEquals(1, models.rejected().size());
        assertTrue(models.rejected().get(0).reason().startsWith("model 713 is also defined in "), models.rejected().toString());
    }

    private static String rejection(Path dir) {
        List<RejectedModel> rejected = SunSpecModels.load(dir).rejected();
        assertEquals(1, rejected.size(), rejected.toString());
        return rejected.get(0).describe();
    }

    @Test
    void aFileInTheModelsDirReplacesTheBuiltInModel(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("model_713.json"), "{\"id\": 713, \"group\": {\"name\": \"storage_capacity_v2\", \"points\": ["
                + "{\"name\": \"ID\", \"type\": \"uint16\", \"value\": 713}, {\"name\": \"L\", \"type\": \"uint16\"}, "
                + "{\"name\": \"WHRtg\", \"type\": \"uint32\", \"size\": 2}]}}");
        Files.writeString(dir.resolve("notes.txt"), "not a model");
        SunSpecModels models = SunSpecModels.load(dir);
        assertEquals("storage_capacity_v2", models.get(713).name());
        assertEquals(802, models.get(802).id());
        assertTrue(assertThrows(SunSpecException.class, () -> SunSpecModels.load(dir.resolve("missing"))).getMessage()
                .contains("ess.sunspec.models-dir"));
    }
}
