package dev.satellite.examples.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * GNU-style long options: {@code --name value}, {@code --name=value}, and switches
 * {@code --name}. Each option may appear once. Anything else is a {@link UsageException}.
 */
public final class Arguments {
  private final Map<String, List<String>> values;
  private final Set<String> switches;

  private Arguments(Map<String, List<String>> values, Set<String> switches) {
    this.values = values;
    this.switches = switches;
  }

  /** Like {@link #parse(String[], Set, Set, Set)} with no repeatable option. */
  public static Arguments parse(String[] args, Set<String> valueOptions, Set<String> switchOptions) {
    return parse(args, valueOptions, switchOptions, Set.of());
  }

  /**
   * @param valueOptions option names (without {@code --}) that take a value
   * @param switchOptions option names that take none
   * @param repeatable value options that may be given more than once
   * @throws UsageException for an unknown option, a missing value, a repeated option, or a
   *     positional argument
   */
  public static Arguments parse(
      String[] args, Set<String> valueOptions, Set<String> switchOptions, Set<String> repeatable) {
    Map<String, List<String>> values = new HashMap<>();
    Set<String> switches = new HashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException("unexpected argument '" + arg + "' (options start with --)");
      }
      String name = arg.substring(2);
      String inlineValue = null;
      int equals = name.indexOf('=');
      if (equals >= 0) {
        inlineValue = name.substring(equals + 1);
        name = name.substring(0, equals);
      }
      if ((values.containsKey(name) && !repeatable.contains(name)) || switches.contains(name)) {
        throw new UsageException("option --" + name + " is given more than once");
      }
      if (switchOptions.contains(name)) {
        if (inlineValue != null) {
          throw new UsageException("option --" + name + " takes no value");
        }
        switches.add(name);
      } else if (valueOptions.contains(name)) {
        String value = inlineValue;
        if (value == null) {
          if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new UsageException("option --" + name + " needs a value");
          }
          value = args[++i];
        }
        if (value.isBlank()) {
          throw new UsageException("option --" + name + " needs a non-empty value");
        }
        values.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      } else {
        throw new UsageException("unknown option --" + name + " (see --help)");
      }
    }
    return new Arguments(values, switches);
  }

  public Optional<String> value(String name) {
    return values(name).stream().findFirst();
  }

  /** Every value of a repeatable option, in command-line order. */
  public List<String> values(String name) {
    return values.getOrDefault(name, List.of());
  }

  /** @throws UsageException when the option is missing */
  public String required(String name) {
    return value(name)
        .orElseThrow(() -> new UsageException("missing required option --" + name));
  }

  public boolean has(String name) {
    return switches.contains(name);
  }
}
