package io.sudp.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** The line (1-based) of every key and list item of a YAML document, by path. */
final class LineIndex {
  private LineIndex() {}

  static Map<String, Integer> of(String yaml) {
    Map<String, Integer> lines = new HashMap<>();
    new Compose(LoadSettings.builder().build())
        .composeString(yaml)
        .ifPresent(root -> walk(root, "", lines));
    return lines;
  }

  private static void walk(Node node, String path, Map<String, Integer> lines) {
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        if (tuple.getKeyNode() instanceof ScalarNode key) {
          String child = path.isEmpty() ? key.getValue() : path + "." + key.getValue();
          key.getStartMark().ifPresent(mark -> lines.put(child, mark.getLine() + 1));
          walk(tuple.getValueNode(), child, lines);
        }
      }
    } else if (node instanceof SequenceNode sequence) {
      List<Node> items = sequence.getValue();
      for (int i = 0; i < items.size(); i++) {
        String child = path + "[" + i + "]";
        Node item = items.get(i);
        item.getStartMark().ifPresent(mark -> lines.put(child, mark.getLine() + 1));
        walk(item, child, lines);
      }
    }
  }
}
