package dev.forwardauth.containers;

/** The WAR as webapps/ROOT.war of Tomcat 11, its config file named in bin/setenv.sh (docs/tomcat.md). */
class Tomcat11IT extends ContainerLoginTests {
    @Override
    ServletContainer container() {
        return new Tomcat("tomcat-11", "11.0", Tomcat.ConfigBy.SETENV_SH, "ROOT");
    }
}
