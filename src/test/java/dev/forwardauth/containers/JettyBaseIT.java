package dev.forwardauth.containers;

/** The WAR deployed by the repo's jetty-base on jetty-home 12.1 (docs/jetty.md). */
class JettyBaseIT extends ContainerLoginTests {
    @Override
    ServletContainer container() {
        return new JettyBase();
    }
}
