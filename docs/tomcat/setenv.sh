# $CATALINA_BASE/bin/setenv.sh: catalina.sh reads this file at every start.
# Where forwardauth finds its config file (a context init-param, see ROOT.xml, would take precedence).
CATALINA_OPTS="$CATALINA_OPTS -Dforwardauth.config=/etc/forwardauth/forwardauth.json"
