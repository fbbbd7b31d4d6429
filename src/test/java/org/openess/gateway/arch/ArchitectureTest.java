package org.openess.gateway.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.openess.gateway.testsupport.UnitTest;

/**
 * The package structure, read from the compiled classes: no package cycles (every package its own
 * slice, sub-packages included), and no dependency from a lower stage of the data path to a higher
 * one ({@link StageOrder}). The fixture packages under {@code arch.fixture} break both rules on
 * purpose, so that the checks are seen to fail.
 */
@UnitTest
class ArchitectureTest {
    private static final String BASE = "org.openess.gateway";
    private static final String FIXTURE = BASE + ".arch.fixture";

    private static final JavaClasses MAIN = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);

    @Test
    void noPackageCycles() {
        slices().matching(BASE + ".(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void everyPackageHasAStage() {
        assertEquals(List.of(), new StageOrder(BASE).unranked(MAIN), "packages missing from StageOrder.RANKS");
    }

    @Test
    void noStageDependsOnAHigherOne() {
        List<String> violations = new StageOrder(BASE).violations(MAIN);
        assertTrue(violations.isEmpty(), "dependencies up the stage order:\n" + String.join("\n", violations));
    }

    @Test
    void theChecksFailOnALowerStageImportingAHigherOneAndOnACycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages(FIXTURE);
        List<String> violations = new StageOrder(FIXTURE).violations(fixture);
        assertFalse(violations.isEmpty());
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("profile -> storage")), violations.toString());
        assertThrows(AssertionError.class, () -> slices().matching(FIXTURE + ".(**)").should().beFreeOfCycles().check(fixture));
    }
}
