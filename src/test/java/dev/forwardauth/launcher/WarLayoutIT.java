package dev.forwardauth.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged WAR's layout: a servlet container must find a plain webapp (no server in WEB-INF/lib), and
 * `java -jar` its bootstrap at the root and the embedded server under WEB-INF/launcher.
 */
class WarLayoutIT {
    static List<String> entries;
    static Manifest manifest;

    @BeforeAll
    static void read() throws IOException {
        try (JarFile war = new JarFile(WarProcess.WAR.toFile())) {
            entries = war.stream().map(ZipEntry::getName).toList();
            manifest = war.getManifest();
        }
    }

    @Test
    void manifestStartsTheBootstrapAndCarriesTheVersion() {
        Attributes main = manifest.getMainAttributes();
        assertEquals("dev.forwardauth.boot.Main", main.getValue(Attributes.Name.MAIN_CLASS));
        assertEquals(System.getProperty("forwardauth.version"), main.getValue(Attributes.Name.IMPLEMENTATION_VERSION));
    }

    @Test
    void onlyTheBootstrapIsAtTheRoot() {
        List<String> rootClasses = entries.stream()
                .filter(name -> name.endsWith(".class") && !name.startsWith("WEB-INF/")).toList();
        assertTrue(rootClasses.contains("dev/forwardauth/boot/Main.class"), rootClasses.toString());
        assertTrue(rootClasses.stream().allMatch(name -> name.startsWith("dev/forwardauth/boot/")), rootClasses.toString());
    }

    @Test
    void theLauncherAndTheServerAreUnderWebInfLauncher() {
        assertTrue(entries.contains("WEB-INF/launcher/classes/dev/forwardauth/launcher/Launcher.class"));
        for (String jar : List.of("jetty-server-", "jetty-ee10-webapp-", "jakarta.servlet-api-", "slf4j-api-",
                "jetty-slf4j-impl-")) {
            assertTrue(entries.stream().anyMatch(name -> name.startsWith("WEB-INF/launcher/lib/" + jar)), jar);
        }
    }

    @Test
    void theWebappLibrariesHoldNoServerAndOneSlf4jProvider() {
        List<String> lib = entries.stream().filter(name -> name.startsWith("WEB-INF/lib/") && name.endsWith(".jar"))
                .map(name -> name.substring("WEB-INF/lib/".length())).toList();
        assertTrue(lib.stream().noneMatch(jar -> jar.startsWith("jetty-") || jar.startsWith("jakarta.servlet-api")
                || jar.startsWith("tomcat-")), lib.toString());
        assertTrue(lib.stream().anyMatch(jar -> jar.startsWith("slf4j-api-")), lib.toString());
        List<String> providers = lib.stream().filter(jar -> jar.startsWith("slf4j-jdk14-") || jar.startsWith("logback-")
                || jar.startsWith("slf4j-simple-") || jar.startsWith("log4j-slf4j") || jar.startsWith("slf4j-reload4j"))
                .toList();
        assertEquals(1, providers.size(), providers.toString());
        assertTrue(providers.get(0).startsWith("slf4j-jdk14-"), providers.toString());
    }

    @Test
    void theWebappClassesAreOneJarThatHoldsNoLauncherClasses() throws IOException {
        // Unpacking one jar instead of some 250 class files is a tenth of a second of every start.
        assertTrue(entries.stream().noneMatch(name -> name.startsWith("WEB-INF/classes/") && !name.endsWith("/")),
                entries.toString());
        List<String> classes = WarEntries.ownJarEntries();
        assertTrue(classes.contains("dev/forwardauth/web/ForwardAuthInitializer.class"), classes.toString());
        assertTrue(classes.contains("dev/forwardauth/config/ConfigCheck.class"), classes.toString());
        assertTrue(classes.stream().noneMatch(name -> name.startsWith("dev/forwardauth/launcher/")
                || name.startsWith("dev/forwardauth/boot/") || name.startsWith("dev/forwardauth/demo/")),
                classes.toString());
    }

    @Test
    void everyEntryIsStoredSoThatUnpackingIsACopy() {
        // java -jar unpacks WEB-INF at every start; the jars inside are compressed already.
        try (JarFile war = new JarFile(WarProcess.WAR.toFile())) {
            List<String> deflated = war.stream().filter(entry -> entry.getMethod() != ZipEntry.STORED)
                    .map(ZipEntry::getName).toList();
            assertEquals(List.of(), deflated);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
