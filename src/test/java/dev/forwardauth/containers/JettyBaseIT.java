package dev.forwardauth.containers;

/**
 * A copy of the repo's jetty-base on jetty-home 12.1, the WAR named in webapps/forwardauth.properties and
 * the config file by -Dforwardauth.config (docs/jetty.md).
 */
class JettyBaseIT extends ContainerLoginTests {
    @Override
    ServletContainer container() {
        return new JettyBase(JettyBase.Layout.COPY);
    }
}
