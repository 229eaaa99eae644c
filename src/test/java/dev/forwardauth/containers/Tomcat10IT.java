package dev.forwardauth.containers;

/**
 * The WAR as webapps/ROOT.war of Tomcat 10.1 (Servlet 6.0, the oldest the WAR supports), its config file
 * named by the context init-param in conf/Catalina/localhost/ROOT.xml (docs/tomcat.md).
 */
class Tomcat10IT extends ContainerLoginTests {
    @Override
    ServletContainer container() {
        return new Tomcat("tomcat-10.1", "10.1", Tomcat.ConfigBy.CONTEXT_XML, "ROOT");
    }
}
