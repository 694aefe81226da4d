package dev.courier.selector;

import dev.courier.message.MessageRecord;
import java.util.HashSet;
import java.util.Set;

/**
 * A compiled message selector (Jakarta Messaging 3.1 section 3.8.1). {@link #compile} parses and
 * type-checks the text once into a tree of evaluator nodes; {@link #matches} then only walks that
 * tree, with no parsing or string building, and compares numbers as primitives.
 *
 * <p>Evaluation uses SQL's three-valued logic: NULL (a missing property) makes comparisons and
 * arithmetic unknown, and a message matches only when the selector is TRUE. Run-time type rules,
 * for properties whose type only the message knows: numbers of unlike types are compared after
 * numeric promotion; values of unlike types (a string and a number, a boolean and a number)
 * compare false, as the specification says; ordering two strings or two booleans, arithmetic on a
 * non-number, exact division by zero, and LIKE on a non-string are unknown. IN and BETWEEN behave
 * exactly as the OR/AND of comparisons the specification defines them by.
 *
 * <p>Thread-safety: a compiled selector is immutable and may be shared and evaluated by any
 * number of threads at once.
 */
public final class Selector {

    /** Selects every message: the selector of a consumer that has none. */
    public static final Selector MATCH_ALL = new Selector(null, null, null);

    private final String expression;
    private final Node root;
    private final IndexKey indexKey;

    private Selector(String expression, Node root, IndexKey indexKey) {
        this.expression = expression;
        this.root = root;
        this.indexKey = indexKey;
    }

    /**
     * Compiles a selector. A null, empty or all-whitespace expression gives {@link #MATCH_ALL}.
     *
     * @throws SelectorSyntaxException on any syntax error, forbidden identifier or type error
     *         detectable without a message
     */
    public static Selector compile(String expression) throws SelectorSyntaxException {
        if (expression == null || expression.isBlank()) {
            return MATCH_ALL;
        }
        Node root = SelectorParser.parse(expression);
        return new Selector(expression, root, indexKeyOf(root));
    }

    /** True for {@link #MATCH_ALL}, which the broker may skip evaluating. */
    public boolean isMatchAll() {
        return root == null;
    }

    /** True only when the selector evaluates to TRUE for the message; false and unknown do not match. */
    public boolean matches(MessageRecord message) {
        return root == null || root.truth(message) == Truth.TRUE;
    }

    /** The selector text as given to {@link #compile}; null for {@link #MATCH_ALL}. */
    public String expression() {
        return expression;
    }

    /**
     * The hash-index key when the whole selector is {@code prop = literal}, {@code literal = prop}
     * or {@code prop IN (...)} on an application property; otherwise null.
     */
    public IndexKey indexKey() {
        return indexKey;
    }

    private static IndexKey indexKeyOf(Node root) {
        if (root instanceof ComparisonNode) {
            ComparisonNode comparison = (ComparisonNode) root;
            if (comparison.operator() != ComparisonOperator.EQUAL) {
                return null;
            }
            if (comparison.left() instanceof PropertyNode && comparison.right() instanceof LiteralNode) {
                return equalityKey((PropertyNode) comparison.left(), (LiteralNode) comparison.right());
            }
            if (comparison.right() instanceof PropertyNode && comparison.left() instanceof LiteralNode) {
                return equalityKey((PropertyNode) comparison.right(), (LiteralNode) comparison.left());
            }
            return null;
        }
        if (root instanceof InNode) {
            InNode in = (InNode) root;
            if (in.isNegated() || !(in.valueNode() instanceof PropertyNode)) {
                return null;
            }
            PropertyNode property = (PropertyNode) in.valueNode();
            if (!property.isApplicationProperty()) {
                return null;
            }
            return new IndexKey(property.name(), new HashSet<>(in.candidates()));
        }
        return null;
    }

    private static IndexKey equalityKey(PropertyNode property, LiteralNode literal) {
        if (!property.isApplicationProperty() || !IndexKey.isIndexable(literal.literal())) {
            return null;
        }
        return new IndexKey(property.name(), Set.of(IndexKey.normalize(literal.literal())));
    }

    @Override
    public String toString() {
        return isMatchAll() ? "Selector[match all]" : "Selector[" + expression + "]";
    }
}
