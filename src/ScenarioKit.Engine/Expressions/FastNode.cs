using Acornima;
using Acornima.Ast;

namespace ScenarioKit.Engine.Expressions;

/// <summary>
/// The fast-path evaluator: member paths, literals, comparisons, <c>&amp;&amp;</c> <c>||</c> <c>??</c> <c>!</c>
/// and conditionals, with JavaScript semantics. Whenever a case is outside what it models (mixed
/// types under <c>==</c>, a member of a primitive, an unknown name), it declines and the caller
/// runs Jint, so results never differ from the interpreter's.
/// </summary>
internal abstract class FastNode
{
    public abstract bool TryEvaluate(ExpressionScope scope, out Value value);

    public static FastNode? Build(Node? node, VariableIndex index)
    {
        switch (node)
        {
            case null:
                return null;
            case ParenthesizedExpression p:
                return Build(p.Expression, index);
            case StringLiteral s:
                return new Constant(Value.Of(s.Value));
            case NumericLiteral n:
                return new Constant(Value.Of(n.Value));
            case BooleanLiteral b:
                return new Constant(Value.Of(b.Value));
            case NullLiteral:
                return new Constant(Value.Null);
            case Identifier { Name: "undefined" }:
                return new Constant(Value.Undefined);
            case Identifier or MemberExpression:
                return TryPath(node, out var segments) ? new Path(new MemberPath([.. segments], index)) : null;
            case UnaryExpression { Operator: Operator.LogicalNot } u:
                return Build(u.Argument, index) is { } arg ? new Not(arg) : null;
            case LogicalExpression l when l.Operator is Operator.LogicalAnd or Operator.LogicalOr or Operator.NullishCoalescing:
                return Build(l.Left, index) is { } ll && Build(l.Right, index) is { } lr ? new Logical(l.Operator, ll, lr) : null;
            case BinaryExpression b when IsComparison(b.Operator):
                return Build(b.Left, index) is { } bl && Build(b.Right, index) is { } br ? new Compare(b.Operator, bl, br) : null;
            case ConditionalExpression c:
                return Build(c.Test, index) is { } t && Build(c.Consequent, index) is { } y && Build(c.Alternate, index) is { } n2
                    ? new Conditional(t, y, n2) : null;
            default:
                return null;
        }
    }

    static bool IsComparison(Operator op) => op is Operator.Equality or Operator.Inequality or Operator.StrictEquality
        or Operator.StrictInequality or Operator.LessThan or Operator.LessThanOrEqual or Operator.GreaterThan or Operator.GreaterThanOrEqual;

    static bool TryPath(Node node, out List<string> segments)
    {
        segments = [];
        while (true)
        {
            switch (node)
            {
                case Identifier id:
                    segments.Insert(0, id.Name);
                    return true;
                case MemberExpression { Computed: false, Optional: false, Property: Identifier prop } m:
                    segments.Insert(0, prop.Name);
                    node = m.Object;
                    continue;
                default:
                    return false;
            }
        }
    }

    sealed class Constant(Value value) : FastNode
    {
        public override bool TryEvaluate(ExpressionScope scope, out Value v)
        {
            v = value;
            return true;
        }
    }

    sealed class Path(MemberPath path) : FastNode
    {
        public override bool TryEvaluate(ExpressionScope scope, out Value value) => scope.TryResolve(path, out value);
    }

    sealed class Not(FastNode argument) : FastNode
    {
        public override bool TryEvaluate(ExpressionScope scope, out Value value)
        {
            if (!argument.TryEvaluate(scope, out var a)) { value = default; return false; }
            value = Value.Of(!a.IsTruthy);
            return true;
        }
    }

    sealed class Logical(Operator op, FastNode left, FastNode right) : FastNode
    {
        public override bool TryEvaluate(ExpressionScope scope, out Value value)
        {
            if (!left.TryEvaluate(scope, out var l)) { value = default; return false; }
            var takeLeft = op switch
            {
                Operator.LogicalAnd => !l.IsTruthy,
                Operator.LogicalOr => l.IsTruthy,
                _ => !l.IsNullish,
            };
            if (takeLeft) { value = l; return true; }
            return right.TryEvaluate(scope, out value);
        }
    }

    sealed class Conditional(FastNode test, FastNode then, FastNode otherwise) : FastNode
    {
        public override bool TryEvaluate(ExpressionScope scope, out Value value)
        {
            if (!test.TryEvaluate(scope, out var t)) { value = default; return false; }
            return (t.IsTruthy ? then : otherwise).TryEvaluate(scope, out value);
        }
    }

    sealed class Compare(Operator op, FastNode left, FastNode right) : FastNode
    {
        public override bool TryEvaluate(ExpressionScope scope, out Value value)
        {
            value = default;
            if (!left.TryEvaluate(scope, out var l) || !right.TryEvaluate(scope, out var r)) return false;
            switch (op)
            {
                case Operator.StrictEquality:
                case Operator.StrictInequality:
                    if (!TryStrictEquals(l, r, out var se)) return false;
                    value = Value.Of(op == Operator.StrictEquality ? se : !se);
                    return true;
                case Operator.Equality:
                case Operator.Inequality:
                    if (!TryLooseEquals(l, r, out var le)) return false;
                    value = Value.Of(op == Operator.Equality ? le : !le);
                    return true;
                default:
                    if (!TryRelational(l, r, out var c)) return false;
                    value = Value.Of(c is { } order && op switch
                    {
                        Operator.LessThan => order < 0,
                        Operator.LessThanOrEqual => order <= 0,
                        Operator.GreaterThan => order > 0,
                        _ => order >= 0,
                    });
                    return true;
            }
        }

        static bool TryStrictEquals(Value l, Value r, out bool equal)
        {
            equal = false;
            if (l.Kind == ValueKind.Node || r.Kind == ValueKind.Node) return false; // identity of objects: Jint's business
            if (l.Kind != r.Kind) return true;
            equal = l.Kind switch
            {
                ValueKind.Undefined or ValueKind.Null => true,
                ValueKind.String => string.Equals(l.Text, r.Text, StringComparison.Ordinal),
                _ => l.Number == r.Number,
            };
            return true;
        }

        static bool TryLooseEquals(Value l, Value r, out bool equal)
        {
            equal = false;
            if (l.IsNullish || r.IsNullish)
            {
                if (l.Kind == ValueKind.Node || r.Kind == ValueKind.Node) { equal = false; return true; }
                equal = l.IsNullish && r.IsNullish;
                return true;
            }
            // Mixed primitive types coerce (e.g. "1" == 1): left to Jint.
            return l.Kind == r.Kind && TryStrictEquals(l, r, out equal);
        }

        // null: comparison is false either way (NaN); otherwise the sign.
        static bool TryRelational(Value l, Value r, out int? order)
        {
            order = null;
            if (l.Kind == ValueKind.Number && r.Kind == ValueKind.Number)
            {
                if (double.IsNaN(l.Number) || double.IsNaN(r.Number)) return true;
                order = l.Number.CompareTo(r.Number);
                return true;
            }
            if (l.Kind == ValueKind.String && r.Kind == ValueKind.String)
            {
                order = string.CompareOrdinal(l.Text, r.Text);
                return true;
            }
            return false;
        }
    }
}
