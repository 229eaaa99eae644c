package dev.forwardauth.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code bin/catalina.sh run} of an unpacked Tomcat (CATALINA_HOME, read-only) with a CATALINA_BASE of its
 * own: the distribution's {@code conf/} with the HTTP connector on a free loopback port, no shutdown port
 * and no AJP; {@code webapps/ROOT.war} (or another name, for a context path), a byte-for-byte copy of the
 * WAR; and the config file named the way docs/tomcat.md shows, by {@code bin/setenv.sh} or by the context
 * file {@code conf/Catalina/localhost/ROOT.xml}, both copied from docs/tomcat/ with only the config path
 * changed.
 */
final class Tomcat extends ServletContainer {
    /** How the config file is named: the two ways docs/tomcat.md describes. */
    enum ConfigBy { SETENV_SH, CONTEXT_XML }

    /** The path the example files in docs/tomcat/ name; a test puts its own config file there. */
    static final String DOCUMENTED_CONFIG = "/etc/forwardauth/forwardauth.json";
    static final Path EXAMPLES = PROJECT.resolve("docs/tomcat");

    private final String folder;
    private final String version;
    private final ConfigBy configBy;
    private final String contextName;

    /**
     * @param folder under target/containers, e.g. {@code tomcat-11}
     * @param version the major (and minor) version the test expects to run, e.g. {@code 11.0}
     * @param contextName Tomcat's name for the context: {@code ROOT} serves at {@code /}, {@code forwardauth}
     *     at {@code /forwardauth}; the WAR and the context file are named after it
     */
    Tomcat(String folder, String version, ConfigBy configBy, String contextName) {
        this.folder = folder;
        this.version = version;
        this.configBy = configBy;
        this.contextName = contextName;
    }

    @Override
    String name() {
        return "Tomcat " + version + " at " + contextPath() + "/ (config by " + configBy + ")";
    }

    @Override
    String contextPath() {
        return "ROOT".equals(contextName) ? "" : "/" + contextName;
    }

    @Override
    String versionBanner() {
        return "Apache Tomcat/" + version + ".";
    }

    @Override
    void prepare(ProcessBuilder child, Path war, Path config, int port) throws IOException {
        Path home = distribution(folder);
        Path base = Files.createDirectories(dir.resolve("catalina-base"));
        for (String sub : List.of("bin", "logs", "temp", "work", "webapps")) {
            Files.createDirectories(base.resolve(sub));
        }
        copyTree(home.resolve("conf"), base.resolve("conf"));
        rewriteServerXml(base.resolve("conf/server.xml"), port);
        Files.copy(war, base.resolve("webapps/" + contextName + ".war"), StandardCopyOption.COPY_ATTRIBUTES);
        switch (configBy) {
            case SETENV_SH -> copyExample("setenv.sh", base.resolve("bin/setenv.sh"), config);
            case CONTEXT_XML -> copyExample("ROOT.xml", Files.createDirectories(base.resolve("conf/Catalina/localhost"))
                    .resolve(contextName + ".xml"), config);
        }
        child.command(home.resolve("bin/catalina.sh").toString(), "run").directory(base.toFile());
        child.environment().put("CATALINA_HOME", home.toString());
        child.environment().put("CATALINA_BASE", base.toString());
        // JAVA_OPTS, not CATALINA_OPTS: setenv.sh appends to CATALINA_OPTS, exactly as documented.
        child.environment().put("JAVA_OPTS", String.join(" ", QUICK_JVM));
    }

    /**
     * The distribution's server.xml with the HTTP connector on {@code port}, on loopback only, the shutdown
     * port off ({@code -1}: the test stops Tomcat with a signal) and no AJP connector (it ships commented
     * out; whatever the distribution does, none may listen here).
     */
    private static void rewriteServerXml(Path serverXml, int port) throws IOException {
        String xml = Files.readString(serverXml);
        xml = replaceOnce(xml, "<Server port=\"8005\"", "<Server port=\"-1\"", serverXml);
        xml = replaceOnce(xml, "<Connector port=\"8080\" protocol=\"HTTP/1.1\"",
                "<Connector port=\"" + port + "\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\"", serverXml);
        xml = xml.replaceAll("(?s)<Connector[^>]*protocol=\"AJP/1\\.3\".*?/>", "");
        Files.writeString(serverXml, xml);
    }

    private static void copyExample(String example, Path target, Path config) throws IOException {
        Path source = EXAMPLES.resolve(example);
        String text = replaceOnce(Files.readString(source), DOCUMENTED_CONFIG, config.toString(), source);
        Files.writeString(target, text);
    }
}
