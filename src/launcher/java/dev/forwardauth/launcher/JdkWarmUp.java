package dev.forwardauth.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Work the webapp's deployment would otherwise do cold on the critical path, done on the launcher's idle
 * thread while the other one checks the configuration. Only JDK classes: they are shared by every class
 * loader, so what this thread loads and initialises the webapp finds ready. The choice comes from a class
 * loading trace of a start: the XML parser (web.xml), java.util.logging with its date format (the
 * webapp's first log line pulls in the locale data) and the JCA providers (session cookies, token
 * signatures) each cost a tenth of a second or more when met cold.
 *
 * <p>Nothing here may fail a start: a step that throws only loses its head start.
 */
final class JdkWarmUp {
    private JdkWarmUp() {
    }

    static void run(Path webappDir) {
        quietly(() -> parse(webappDir.resolve("WEB-INF/web.xml")));
        quietly(JdkWarmUp::formatLogRecord);
        quietly(JdkWarmUp::cryptography);
    }

    private static void parse(Path webXml) throws Exception {
        if (!Files.isRegularFile(webXml)) {
            return;
        }
        SAXParserFactory factory = SAXParserFactory.newInstance();
        factory.setNamespaceAware(true);
        try (InputStream in = Files.newInputStream(webXml)) {
            factory.newSAXParser().parse(in, new DefaultHandler());
        } catch (SAXException | IOException ignored) {
            // Jetty parses it again and reports what is wrong; this only loaded the parser.
        }
    }

    private static void formatLogRecord() {
        new SimpleFormatter().format(new LogRecord(Level.INFO, "warm-up"));
    }

    private static void cryptography() throws GeneralSecurityException {
        Cipher.getInstance("AES/GCM/NoPadding");
        Mac.getInstance("HmacSHA256");
        MessageDigest.getInstance("SHA-256");
        KeyFactory.getInstance("RSA");
        KeyFactory.getInstance("EC");
        Signature.getInstance("SHA256withRSA");
        Signature.getInstance("SHA256withECDSA");
    }

    private static void quietly(Step step) {
        try {
            step.run();
        } catch (Exception | LinkageError ignored) {
            // see the class comment
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws Exception;
    }
}
