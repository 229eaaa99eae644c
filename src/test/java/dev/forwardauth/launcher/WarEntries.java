package dev.forwardauth.launcher;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

/** What the packaged WAR holds, for the layout tests of the launcher and the demo. */
public final class WarEntries {
    private WarEntries() {
    }

    /** The entries of WEB-INF/lib/forwardauth-VERSION.jar: the build archives WEB-INF/classes into it. */
    public static List<String> ownJarEntries() throws IOException {
        String name = "WEB-INF/lib/forwardauth-" + System.getProperty("forwardauth.version") + ".jar";
        try (JarFile war = new JarFile(WarProcess.WAR.toFile())) {
            if (war.getEntry(name) == null) {
                throw new IOException("no " + name + " in " + WarProcess.WAR);
            }
            try (JarInputStream jar = new JarInputStream(war.getInputStream(war.getEntry(name)))) {
                List<String> names = new ArrayList<>();
                for (JarEntry entry = jar.getNextJarEntry(); entry != null; entry = jar.getNextJarEntry()) {
                    names.add(entry.getName());
                }
                return names;
            }
        }
    }
}
