// SPDX-License-Identifier: Apache-2.0
package io.sluice.gateway.platform.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.gateway.api.config.ConfigException;
import java.util.List;

/**
 * Takes the field a binding error is about out of the tree, so that binding can go on and report the next
 * error: all of a file's mistakes are then reported at once (and the semantic checks run on the rest). A bad
 * field falls back to its default; a record whose constructor refused it as a whole is taken out whole.
 */
final class ConfigRepair {

  private ConfigRepair() {}

  /** Removes what {@code e} is about from {@code tree}; false when it cannot be located. */
  static boolean remove(JsonNode tree, JsonMappingException e) {
    List<JsonMappingException.Reference> refs = e.getPath();
    if (refs.isEmpty()) {
      return false;
    }
    if (e instanceof ValueInstantiationException && e.getCause() instanceof ConfigException c) {
      JsonNode record = navigate(tree, refs, refs.size());
      String field = c.path();
      if (record instanceof ObjectNode object && !field.isEmpty() && field.matches("[A-Za-z0-9_-]+")
          && object.has(field)) {
        object.remove(field);
        return true;
      }
    }
    if (e instanceof UnrecognizedPropertyException u) {
      JsonNode parent = navigate(tree, refs, refs.size() - 1);
      if (parent instanceof ObjectNode object && object.has(u.getPropertyName())) {
        object.remove(u.getPropertyName());
        return true;
      }
      return false;
    }
    JsonNode parent = navigate(tree, refs, refs.size() - 1);
    JsonMappingException.Reference last = refs.get(refs.size() - 1);
    if (parent instanceof ObjectNode object && last.getFieldName() != null && object.has(last.getFieldName())) {
      object.remove(last.getFieldName());
      return true;
    }
    if (parent instanceof ArrayNode array && last.getIndex() >= 0 && last.getIndex() < array.size()) {
      array.remove(last.getIndex());
      return true;
    }
    return false;
  }

  private static JsonNode navigate(JsonNode tree, List<JsonMappingException.Reference> refs, int count) {
    JsonNode node = tree;
    for (int i = 0; i < count && node != null; i++) {
      JsonMappingException.Reference ref = refs.get(i);
      node = ref.getFieldName() != null ? node.get(ref.getFieldName()) : ref.getIndex() >= 0 ? node.get(ref.getIndex()) : null;
    }
    return node;
  }
}
