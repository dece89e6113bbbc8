// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sluice.gateway.api.config.ByteSize;
import io.sluice.gateway.api.config.ConfigException;
import io.sluice.gateway.api.config.DurationParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads {@code sluice.yaml} into a {@link GatewayConfig}. Unknown keys are errors; every error names the path
 * of the bad field ({@code routes[orders].timeouts.connect: must be > 0}). Values may refer to environment
 * variables as {@code ${env:NAME}} or {@code ${env:NAME:-default}}.
 *
 * <p>Only binding and per-record validation happen here; cross-references (a route's upstream, its path
 * pattern) are checked when the route table is compiled. Blocking: call it off the event loop.
 */
public final class ConfigLoader {

  private final ObjectMapper yaml;
  private final ObjectMapper json;
  private final Function<String, String> environment;

  public ConfigLoader() {
    this(System::getenv);
  }

  /** A loader reading environment variables from {@code environment} (tests pass a map). */
  public ConfigLoader(Function<String, String> environment) {
    this.environment = environment;
    this.yaml = configure(JsonMapper.builder(new YAMLFactory()));
    this.json = configure(JsonMapper.builder());
  }

  private static ObjectMapper configure(JsonMapper.Builder builder) {
    SimpleModule values = new SimpleModule("sluice-config-values");
    values.addDeserializer(Duration.class, new TextValueDeserializer<>(DurationParser::parse));
    values.addDeserializer(ByteSize.class, new TextValueDeserializer<>(ByteSize::parse));
    values.addSerializer(Duration.class, new com.fasterxml.jackson.databind.ser.std.ToStringSerializerBase(Duration.class) {
      @Override
      public String valueToString(Object value) {
        return DurationParser.format((Duration) value);
      }
    });
    values.addSerializer(ByteSize.class, com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance);
    return builder
        .addModule(values)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .build();
  }

  /**
   * What binding a file gave: every problem found, and a configuration bound from what was left once the bad
   * fields were taken out (so that the semantic checks can still report theirs), or null when nothing could
   * be bound (unreadable file, YAML syntax error).
   */
  public record Loaded(@org.jspecify.annotations.Nullable GatewayConfig config, List<ConfigException> problems) {

    /** The configuration, possibly bound around problems, or the refusal when nothing could be bound. */
    public GatewayConfig orThrowIfUnbound(String source) {
      if (config == null) {
        throw new InvalidConfigException(source, problems);
      }
      return config;
    }

    /** The configuration, or the refusal listing every problem. */
    public GatewayConfig orThrow(String source) {
      if (config == null || !problems.isEmpty()) {
        throw new InvalidConfigException(source, problems);
      }
      return config;
    }
  }

  /** Reads and binds a file; throws listing every binding problem. */
  public GatewayConfig load(Path file) {
    return loadAll(file).orThrow(file.toString());
  }

  /** Reads and binds a file, collecting every binding problem instead of stopping at the first. */
  public Loaded loadAll(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (java.nio.file.NoSuchFileException e) {
      return new Loaded(null, List.of(new ConfigException("", "the file does not exist")));
    } catch (IOException e) {
      return new Loaded(null, List.of(new ConfigException("", "cannot read: " + e)));
    }
    return parseAll(text, file.toString());
  }

  /** Binds YAML text; {@code source} names it in errors. */
  public GatewayConfig parse(String yamlText, String source) {
    return parseAll(yamlText, source).orThrow(source);
  }

  /** The most bad fields one file reports; beyond it the rest are not looked for. */
  private static final int MAX_PROBLEMS = 50;

  /** Binds YAML text, collecting every problem: each bad field is reported, taken out, and binding goes on. */
  public Loaded parseAll(String yamlText, String source) {
    JsonNode tree;
    try {
      tree = yaml.readTree(yamlText);
    } catch (JsonProcessingException e) {
      String where = "";
      if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked && marked.getProblemMark() != null) {
        where = "line " + (marked.getProblemMark().getLine() + 1) + ", column " + (marked.getProblemMark().getColumn() + 1);
      } else if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
        JsonLocation at = e.getLocation();
        where = "line " + at.getLineNr() + ", column " + at.getColumnNr();
      }
      return new Loaded(null, List.of(new ConfigException(where, e.getOriginalMessage())));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      tree = json.createObjectNode();
    }
    List<ConfigException> problems = new java.util.ArrayList<>();
    tree = substituteEnvironment(tree, "", problems);
    while (problems.size() < MAX_PROBLEMS) {
      try {
        return new Loaded(json.treeToValue(tree, GatewayConfig.class), problems);
      } catch (JsonProcessingException e) {
        ConfigException problem = describe(e, tree);
        boolean repeated = problems.stream().anyMatch(p -> p.getMessage().equals(problem.getMessage()));
        // Knock-on errors of a field already reported (an unset ${env:...} left an empty value behind; a bad
        // list element was taken out and the list is now empty): its own error says enough.
        boolean known = !(e instanceof UnrecognizedPropertyException) && problems.stream().anyMatch(p ->
            !problem.path().isEmpty() && (p.path().equals(problem.path())
            || p.path().startsWith(problem.path() + ".") || p.path().startsWith(problem.path() + "[")));
        if (!repeated && !known) {
          problems.add(problem);
        }
        if (repeated || !(e instanceof JsonMappingException m) || !ConfigRepair.remove(tree, m)) {
          return new Loaded(null, problems);
        }
      } catch (IllegalArgumentException e) {
        problems.add(new ConfigException("", e.getMessage()));
        return new Loaded(null, problems);
      }
    }
    return new Loaded(null, problems);
  }

  /** Binds one JSON value, e.g. a policy's {@code config:} object, to a record type. */
  public <T> T bind(JsonNode node, Class<T> type, String path) {
    if (type.isRecord() && node.isObject()) {
      // Jackson may run a record's constructor (and its validation) before it notices an unknown key; a typo
      // must be reported as the typo, so check the keys first.
      java.util.Set<String> known = new java.util.TreeSet<>();
      for (var component : type.getRecordComponents()) {
        known.add(component.getName());
      }
      var names = node.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (!known.contains(name)) {
          throw new ConfigException(path, "unknown key '" + name + "'"
              + (known.isEmpty() ? " (it takes no settings)" : " (known: " + String.join(", ", known) + ")"));
        }
      }
    }
    try {
      return json.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw describe(e, node).at(path);
    }
  }

  /**
   * A bound config as JSON, defaults included ({@code 30s}, {@code 10MB} written back in the file's notation),
   * for the admin API; {@code asWritten} when it does not serialise.
   */
  public JsonNode describe(Object bound, JsonNode asWritten) {
    try {
      return json.valueToTree(bound);
    } catch (IllegalArgumentException e) {
      return asWritten;
    }
  }

  /** Replaces {@code ${env:NAME}} and {@code ${env:NAME:-default}} in every string value of the tree. */
  private JsonNode substituteEnvironment(JsonNode node, String path, List<ConfigException> unset) {
    if (node.isTextual()) {
      String text = node.asText();
      return text.contains("${env:") ? json.getNodeFactory().textNode(substitute(text, path, unset)) : node;
    }
    if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
      var names = new java.util.ArrayList<String>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        String child = path.isEmpty() ? name : path + "." + name;
        object.set(name, substituteEnvironment(object.get(name), child, unset));
      }
    } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, substituteEnvironment(array.get(i), path + "[" + i + "]", unset));
      }
    }
    return node;
  }

  private String substitute(String text, String path, List<ConfigException> unset) {
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    int start;
    while ((start = text.indexOf("${env:", from)) >= 0) {
      int end = text.indexOf('}', start);
      if (end < 0) {
        break;
      }
      String expr = text.substring(start + 6, end);
      int dflt = expr.indexOf(":-");
      String name = dflt >= 0 ? expr.substring(0, dflt) : expr;
      String value = environment.apply(name);
      if (value == null || (dflt >= 0 && value.isEmpty())) {
        if (dflt < 0) {
          unset.add(new ConfigException(path, "environment variable " + name + " is not set"));
          value = "";
        } else {
          value = expr.substring(dflt + 2);
        }
      }
      out.append(text, from, start).append(value);
      from = end + 1;
    }
    return out.append(text, from, text.length()).toString();
  }

  private static ConfigException describe(JsonProcessingException e, JsonNode tree) {
    String path = e instanceof JsonMappingException m ? path(m.getPath(), tree) : "";
    if (e instanceof UnrecognizedPropertyException u) {
      String known =
          u.getKnownPropertyIds() == null
              ? ""
              : u.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
      String field = u.getPropertyName();
      String parent = path.endsWith("." + field) ? path.substring(0, path.length() - field.length() - 1)
          : path.equals(field) ? "" : path;
      return new ConfigException(parent, "unknown key '" + field + "'" + (known.isEmpty() ? "" : " (known: " + known + ")"));
    }
    Throwable cause = e.getCause();
    if (e instanceof ValueInstantiationException && cause instanceof ConfigException c) {
      return c.at(path);
    }
    if (cause instanceof ConfigException c) {
      return c.at(path);
    }
    if (e instanceof InvalidFormatException f) {
      return new ConfigException(path, "'" + f.getValue() + "' is not a valid " + typeName(f.getTargetType()));
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return new ConfigException(path, "expected " + typeName(m.getTargetType()));
    }
    return new ConfigException(path, e.getOriginalMessage());
  }

  private static String typeName(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "a whole number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.isEnum()) {
      return "one of "
          + java.util.Arrays.stream(type.getEnumConstants())
              .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT))
              .collect(Collectors.joining(", "));
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a map";
    }
    return "an object (" + type.getSimpleName() + ")";
  }

  /** Renders Jackson's reference path; list entries under {@code routes} are named by route id when known. */
  private static String path(List<JsonMappingException.Reference> refs, JsonNode tree) {
    StringBuilder sb = new StringBuilder();
    JsonNode node = tree;
    for (JsonMappingException.Reference ref : refs) {
      if (ref.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(ref.getFieldName());
        node = node != null ? node.get(ref.getFieldName()) : null;
      } else if (ref.getIndex() >= 0) {
        JsonNode element = node != null ? node.get(ref.getIndex()) : null;
        JsonNode id = element != null ? element.get("id") : null;
        boolean named = (sb.toString().equals("routes") || sb.toString().equals("consumers")) && id != null && id.isTextual() && !id.asText().isBlank();
        sb.append('[').append(named ? id.asText() : String.valueOf(ref.getIndex())).append(']');
        node = element;
      }
    }
    return sb.toString();
  }

  /** Deserialises a value written as text (or a number) through a parser that throws ConfigException. */
  private static final class TextValueDeserializer<T> extends JsonDeserializer<T> {
    private final Function<String, T> parser;

    TextValueDeserializer(Function<String, T> parser) {
      this.parser = parser;
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      if (!p.currentToken().isScalarValue()) {
        throw JsonMappingException.from(p, "expected a text value", new ConfigException("", "expected a text value such as 30s or 10MB"));
      }
      try {
        return parser.apply(p.getValueAsString());
      } catch (ConfigException e) {
        throw JsonMappingException.from(p, e.getMessage(), e);
      }
    }
  }
}
