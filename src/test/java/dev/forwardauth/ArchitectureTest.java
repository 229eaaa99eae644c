package dev.forwardauth;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ObjectInputStream;

/**
 * The package rules of docs/architecture.md ("Packages"), checked on the compiled webapp (target/classes:
 * src/main only). Each rule was seen to fail on a class that breaks it before it was committed.
 */
@AnalyzeClasses(packages = "dev.forwardauth", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] WEBAPP = {"dev.forwardauth.config..", "dev.forwardauth.policy..",
        "dev.forwardauth.forward..", "dev.forwardauth.security..", "dev.forwardauth.web.."};

    @ArchTest
    static final ArchRule configAndPolicyUseNoServletAndNoPac4jType = noClasses()
            .that().resideInAnyPackage("dev.forwardauth.config..", "dev.forwardauth.policy..")
            .should().dependOnClassesThat().resideInAnyPackage("jakarta.servlet..", "org.pac4j..")
            .because("the config and the policy are plain values, checked and unit-tested off any server");

    @ArchTest
    static final ArchRule theWebappNeverReachesTheLauncherBootDemoOrBenchmark = noClasses()
            .that().resideInAnyPackage(WEBAPP)
            .should().dependOnClassesThat().resideInAnyPackage("dev.forwardauth.launcher..",
                    "dev.forwardauth.boot..", "dev.forwardauth.demo..", "dev.forwardauth.bench..")
            .because("the same WAR runs in any servlet container, where none of them exists");

    @ArchTest
    static final ArchRule policyDependsOnTheJdkAlone = classes()
            .that().resideInAPackage("dev.forwardauth.policy..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.forwardauth.policy..", "java..")
            .because("the policy decides on strings and sets: nothing else can change what it decides");

    @ArchTest
    static final ArchRule configUsesOnlyThePolicyOfOurs = noClasses()
            .that().resideInAPackage("dev.forwardauth.config..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.forwardauth.forward..",
                    "dev.forwardauth.security..", "dev.forwardauth.web..")
            .because("everything else is built from the config, never the other way round");

    @ArchTest
    static final ArchRule forwardUsesOnlyTheJdkAndTheConfig = classes()
            .that().resideInAPackage("dev.forwardauth.forward..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.forwardauth.forward..",
                    "dev.forwardauth.config..", "java..")
            .because("the X-Forwarded-* parser is the edge's own code: no pac4j, no servlet type");

    @ArchTest
    static final ArchRule tokensAndSessionsUseNothingOfOursButTheCache = noClasses()
            .that().resideInAnyPackage("dev.forwardauth.security.token..", "dev.forwardauth.security.session..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.forwardauth.config..",
                    "dev.forwardauth.policy..", "dev.forwardauth.forward..", "dev.forwardauth.web..",
                    "dev.forwardauth.security")
            .because("token validation and the cookie store are reusable on their own (security.cache aside)");

    @ArchTest
    static final ArchRule securityKnowsNothingOfTheWebLayer = noClasses()
            .that().resideInAPackage("dev.forwardauth.security..")
            .should().dependOnClassesThat().resideInAPackage("dev.forwardauth.web..")
            .because("HTTP answers are the web layer's: security decides, OutcomeWriter writes");

    @ArchTest
    static final ArchRule onlyTheOutcomeWriterSetsAStatus = noClasses()
            .that().doNotHaveFullyQualifiedName("dev.forwardauth.web.OutcomeWriter")
            .should().callMethod(HttpServletResponse.class, "setStatus", int.class)
            .orShould().callMethod(HttpServletResponse.class, "sendError", int.class)
            .orShould().callMethod(HttpServletResponse.class, "sendError", int.class, String.class)
            .orShould().callMethod(HttpServletResponse.class, "sendRedirect", String.class)
            .because("every answer gets its status, no-store and page headers in one place (SPEC section 4)");

    @ArchTest
    static final ArchRule packagesAreFreeOfCycles = slices().matching("dev.forwardauth.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noJavaDeserialization = noClasses()
            .should().dependOnClassesThat().areAssignableTo(ObjectInputStream.class)
            .because("cookies are read by our own format; nothing may instantiate a class named by its input");

    @ArchTest
    static final ArchRule noStackTraceIsPrinted = noClasses()
            .should().callMethodWhere(target(name("printStackTrace")).and(target(owner(assignableTo(Throwable.class)))))
            .because("a stack trace may carry request data or tokens; errors are logged as class and message");

    // One exception, by design: the decision log is a stream of JSON lines on standard output, apart from the
    // diagnostic log (docs/operations.md, "Decision log"), and DecisionLogWriter is the one class that opens it.
    @ArchTest
    static final ArchRule noStandardStreams = noClasses()
            .that().doNotHaveFullyQualifiedName("dev.forwardauth.ops.DecisionLogWriter")
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .because("the webapp logs through SLF4J, which every container routes and filters; only the decision"
                    + " log writes JSON lines to standard output");
}
