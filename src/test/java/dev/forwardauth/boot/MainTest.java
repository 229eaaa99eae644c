package dev.forwardauth.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    @Test
    void launcherAndWebappGoToSeparateDirectoriesAndTheRootStaysPacked() {
        Path root = dir.resolve("root");

        assertEquals(root.resolve("launcher/lib/jetty-server.jar"), Main.targetOf("WEB-INF/launcher/lib/jetty-server.jar", root));
        assertEquals(root.resolve("webapp/WEB-INF/web.xml"), Main.targetOf("WEB-INF/web.xml", root));
        assertEquals(root.resolve("webapp/WEB-INF/lib/a.jar"), Main.targetOf("WEB-INF/lib/a.jar", root));
        assertNull(Main.targetOf("dev/forwardauth/boot/Main.class", root));
        assertNull(Main.targetOf("META-INF/MANIFEST.MF", root));
    }

    @Test
    void entriesThatClimbOutAreRefused() {
        Path root = dir.resolve("root");

        assertThrows(IllegalStateException.class, () -> Main.targetOf("WEB-INF/../../evil", root));
        assertThrows(IllegalStateException.class, () -> Main.targetOf("WEB-INF/launcher/../../../evil", root));
    }

    @Test
    void unpackReturnsTheImplementationVersion() throws IOException {
        Path war = dir.resolve("test.war");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "9.8.7");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(war), manifest)) {
            put(jar, "WEB-INF/web.xml", "<web-app/>");
            put(jar, "WEB-INF/launcher/classes/x.properties", "a=b");
            put(jar, "dev/forwardauth/boot/Main.class", "not unpacked");
        }
        Path root = Files.createDirectory(dir.resolve("root"));

        assertEquals("9.8.7", Main.unpack(war, root));
        assertEquals("<web-app/>", Files.readString(root.resolve("webapp/WEB-INF/web.xml")));
        assertEquals("a=b", Files.readString(root.resolve("launcher/classes/x.properties")));
        assertFalse(Files.exists(root.resolve("dev")));
        assertFalse(Files.exists(root.resolve("webapp/dev")));
    }

    @Test
    void theDemoIsUnpackedForTheDemoAlone() throws IOException {
        Path war = dir.resolve("demo.war");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(war), new Manifest())) {
            put(jar, "WEB-INF/web.xml", "<web-app/>");
            put(jar, "WEB-INF/demo/lib/idp.jar", "idp");
        }
        Path plain = Files.createDirectory(dir.resolve("plain"));
        Path demo = Files.createDirectory(dir.resolve("demo"));

        Main.unpack(war, plain);
        Main.unpack(war, demo, true);

        assertTrue(Files.exists(plain.resolve("webapp/WEB-INF/web.xml")));
        assertFalse(Files.exists(plain.resolve("webapp/WEB-INF/demo")));
        assertEquals("idp", Files.readString(demo.resolve("webapp/WEB-INF/demo/lib/idp.jar")));
    }

    @Test
    void theTemporaryDirectoryIsTheOwnersOnlyAndIsRemoved() throws IOException {
        Path root = Main.createPrivateDirectory();
        try {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(root)));
            Files.createDirectories(root.resolve("a/b"));
            Files.writeString(root.resolve("a/b/c.txt"), "x");
        } finally {
            Main.deleteTree(root);
        }
        assertFalse(Files.exists(root));
        assertTrue(Files.exists(root.getParent()));
    }

    private static void put(JarOutputStream jar, String name, String content) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        OutputStream out = jar;
        out.write(content.getBytes(StandardCharsets.UTF_8));
        jar.closeEntry();
    }
}
