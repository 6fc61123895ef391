package dev.satellite.testing;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The module boundaries of one module's main classes, read from its compiled classes (ArchUnit),
 * for its {@code ModuleBoundariesTest}, which calls {@link #check} with the package cycles the
 * module is known to have:
 *
 * <ul>
 *   <li>{@link #checkUsesNoOtherModulesInternals}: no class depends on a package under {@code
 *       internal} of another module ({@code dev.satellite.<module>..internal..}). The library
 *       modules with a {@code module-info.java} have the compiler check this too; for the modules
 *       compiled on the class path (jdbc, cli, examples, benchmarks) this check is the boundary;
 *   <li>{@link #packageCycles}: the groups of packages of the module that depend on each other in a
 *       cycle (the strongly connected components of the package dependency graph, those with two
 *       packages or more), each group's packages sorted, the groups sorted by their first package.
 *       A test pins them, so a new cycle shows in review.
 * </ul>
 */
public final class ModuleBoundaries {
  private final String basePackage;
  private final JavaClasses classes;

  private ModuleBoundaries(String basePackage, JavaClasses classes) {
    this.basePackage = basePackage;
    this.classes = classes;
  }

  /**
   * The main classes (not the tests) under {@code basePackage}, such as {@code
   * dev.satellite.jdbc}, from the class path.
   *
   * @throws AssertionError when there are none (a wrong package name would pass every check)
   */
  public static ModuleBoundaries of(String basePackage) {
    JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(basePackage);
    if (classes.isEmpty()) {
      throw new AssertionError("no main classes under " + basePackage + " on the class path");
    }
    return new ModuleBoundaries(basePackage, classes);
  }

  /**
   * Checks both: no use of another module's internals, and exactly these package cycles.
   *
   * @param knownCycles the module's package cycles, as {@link #packageCycles} lists them
   * @throws AssertionError naming what broke the boundary, or the cycles found
   */
  @SafeVarargs
  public final void check(Set<String>... knownCycles) {
    checkUsesNoOtherModulesInternals();
    List<Set<String>> cycles = packageCycles();
    if (!cycles.equals(List.of(knownCycles))) {
      throw new AssertionError("the package cycles of " + basePackage + " changed: expected "
          + List.of(knownCycles) + ", found " + cycles + " (a new cycle: break it; one fewer:"
          + " update the module's ModuleBoundariesTest)");
    }
  }

  /**
   * Fails, listing each dependency, when a class depends on another module's internal package.
   *
   * @throws AssertionError naming each class, the internal class it uses, and where
   */
  public void checkUsesNoOtherModulesInternals() {
    noClasses()
        .should().dependOnClassesThat(resideInAPackage("dev.satellite..internal..")
            .and(not(resideInAPackage(basePackage + ".."))))
        .because("another module's internal packages are not its API; use an exported package")
        .check(classes);
  }

  /** The package cycles of the module, as described in the class comment. */
  public List<Set<String>> packageCycles() {
    Map<String, Set<String>> graph = new TreeMap<>();
    for (JavaClass origin : classes) {
      String from = origin.getPackageName();
      graph.computeIfAbsent(from, p -> new TreeSet<>());
      for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
        String to = dependency.getTargetClass().getPackageName();
        if (!to.equals(from) && inModule(to)) {
          graph.get(from).add(to);
        }
      }
    }
    List<SortedSet<String>> cycles = new ArrayList<>();
    for (SortedSet<String> component : new Components(graph).all()) {
      if (component.size() > 1) {
        cycles.add(component);
      }
    }
    cycles.sort(Comparator.comparing(SortedSet::first));
    return List.copyOf(cycles);
  }

  private boolean inModule(String packageName) {
    return packageName.equals(basePackage) || packageName.startsWith(basePackage + ".");
  }

  /** Tarjan's strongly connected components of a small graph. */
  private static final class Components {
    private final Map<String, Set<String>> graph;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new HashSet<>();
    private final List<SortedSet<String>> found = new ArrayList<>();

    Components(Map<String, Set<String>> graph) {
      this.graph = graph;
    }

    List<SortedSet<String>> all() {
      graph.keySet().forEach(node -> {
        if (!index.containsKey(node)) {
          visit(node);
        }
      });
      return found;
    }

    private void visit(String node) {
      index.put(node, index.size());
      low.put(node, index.get(node));
      stack.push(node);
      onStack.add(node);
      for (String next : graph.getOrDefault(node, Set.of())) {
        if (!index.containsKey(next)) {
          visit(next);
          low.put(node, Math.min(low.get(node), low.get(next)));
        } else if (onStack.contains(next)) {
          low.put(node, Math.min(low.get(node), index.get(next)));
        }
      }
      if (low.get(node).equals(index.get(node))) {
        SortedSet<String> component = new TreeSet<>();
        String member;
        do {
          member = stack.pop();
          onStack.remove(member);
          component.add(member);
        } while (!member.equals(node));
        found.add(component);
      }
    }
  }
}
