package dev.forwardauth.proxies;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The proxy configurations the docs show are, verbatim, the files CaddyIT and NginxIT run. */
class ProxyDocsTest {
    @ParameterizedTest
    @CsvSource({
        "docs/caddy.md, caddy/forwardauth.caddy, caddyfile",
        "docs/nginx.md, nginx/forwardauth.conf, nginx"
    })
    void docsShowTheTestedFile(String doc, String resource, String language) throws Exception {
        String docs = Files.readString(Path.of(doc));
        String tested = ProxyConfigs.read(resource);

        assertTrue(docs.contains("```" + language + "\n" + tested + "```\n"),
                doc + " must show src/test/resources/proxies/" + resource + " unchanged, in a ```" + language
                        + " block");
        assertTrue(docs.contains("(../src/test/resources/proxies/" + resource + ")"), doc + " links the file");
    }
}
