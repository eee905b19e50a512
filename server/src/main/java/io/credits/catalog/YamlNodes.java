package io.credits.catalog;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** What the readers of YAML files (catalogs, scenarios) say about a node in their error messages. */
public final class YamlNodes {
    /** The longest value quoted back in a message. */
    public static final int QUOTED_LENGTH_MAX = 40;

    private YamlNodes() {}

    /** The 1-based line a node starts on, or {@code unknown} when the parser did not say. */
    public static int line(Node node, int unknown) {
        Mark mark = node.getStartMark();
        return mark == null ? unknown : mark.getLine() + 1;
    }

    /** A node as a reader would name it: {@code 'value'}, {@code nothing}, {@code a list}, {@code a mapping}. */
    public static String describe(Node node) {
        if (node instanceof ScalarNode s) {
            if (s.getTag().equals(Tag.NULL)) return "nothing";
            String v = s.getValue();
            return "'" + (v.length() > QUOTED_LENGTH_MAX ? v.substring(0, QUOTED_LENGTH_MAX) + "..." : v) + "'";
        }
        if (node instanceof SequenceNode) return "a list";
        if (node instanceof MappingNode) return "a mapping";
        return "a " + node.getNodeId();
    }
}
