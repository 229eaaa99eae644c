package dev.forwardauth.containers;

/**
 * The WAR as webapps/forwardauth.war of Tomcat 11, so at the context path /forwardauth, with its context
 * file conf/Catalina/localhost/forwardauth.xml (docs/tomcat.md). The proxy adds the prefix: Traefik's
 * address is .../forwardauth/authorize and the site's /oauth2/* go to /forwardauth/oauth2/*.
 */
class TomcatContextPathIT extends ContainerLoginTests {
    @Override
    ServletContainer container() {
        return new Tomcat("tomcat-11", "11.0", Tomcat.ConfigBy.CONTEXT_XML, "forwardauth");
    }
}
