package io.credits.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The rules stay a functional core: no domain package reaches the shell, a framework or I/O. */
class ArchitectureTest {
    static final String[] DOMAIN = {"io.credits.catalog..", "io.credits.period..", "io.credits.ledger..",
            "io.credits.plan..", "io.credits.project..", "io.credits.hold..", "io.credits.account.."};
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.credits");

    @Test
    void domainPackages_doNotDependOnTheShell() {
        noClasses().that().resideInAnyPackage(DOMAIN)
                .should().dependOnClassesThat().resideInAnyPackage("io.credits.store..", "io.credits.http..",
                        "io.credits.web..", "io.credits.cli..", "io.credits.sim..", "io.credits.app..", "io.credits.bench..")
                .check(CLASSES);
    }

    @Test
    void domainPackages_doNoIoAndUseNoFramework() {
        noClasses().that().resideInAnyPackage(DOMAIN).and().resideOutsideOfPackage("io.credits.catalog..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "java.io..",
                        "java.nio.file..", "java.net..", "com.fasterxml..", "org.yaml..", "io.javalin..", "picocli..",
                        "org.slf4j..")
                .check(CLASSES);
    }

    @Test
    void domainPackages_readNoClock() {
        noClasses().that().resideInAnyPackage(DOMAIN)
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(java.time.Clock.class, "systemUTC")
                .check(CLASSES);
    }
}
